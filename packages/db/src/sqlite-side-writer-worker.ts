// The worker thread of a SQLite side writer (sqlite-side-writer.ts): its own connection to the
// database file, one prepared statement, run once per message with the one text parameter it
// carries. Self-contained (no relative imports), so Node runs it as .js from dist/ and as .ts
// (type stripping) from src/ under the tests.
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';

interface Setup {
  readonly filename: string;
  readonly sql: string;
  readonly busyTimeoutMs: number;
}

type Message = { readonly id: number; readonly param: string } | { readonly close: true };

const port = parentPort;
if (port === null) throw new Error('sqlite-side-writer-worker runs only as a worker thread');
const setup = workerData as Setup;
const db = new BetterSqlite3(setup.filename, { timeout: setup.busyTimeoutMs, fileMustExist: true });
db.pragma(`busy_timeout = ${setup.busyTimeoutMs}`);
db.pragma('synchronous = NORMAL');
const statement = db.prepare(setup.sql);

port.on('message', (message: Message) => {
  if ('close' in message) {
    db.close();
    port.close();
    return;
  }
  try {
    statement.run(message.param);
    port.postMessage({ id: message.id });
  } catch (err) {
    // The message only: a SQLite error names the statement's problem, never the bound text.
    port.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) });
  }
});
