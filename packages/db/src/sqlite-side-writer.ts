// A SQLite side writer: one statement with one text parameter (e.g. a JSON batch that the
// statement unpacks with json_each), run on a worker thread with its own connection to the
// same database file. A service that writes a batch of records every few hundred milliseconds
// (JOSE's audit log) keeps SQLite's work off the thread that answers requests. WAL lets the
// two connections read beside each other; writes take turns on SQLite's write lock, waiting
// up to the busy timeout like any second connection.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SQLITE_BUSY_TIMEOUT_MS } from './sqlite-dialect.js';

export interface SideWriter {
  /** Runs the statement once with `param`; resolves when the write is committed. */
  run(param: string): Promise<void>;
  /** Waits for the runs already asked for, then closes the connection and ends the worker. */
  close(): Promise<void>;
}

interface Reply {
  readonly id: number;
  readonly error?: string;
}

/** Starts the worker for `sql` (one `?` parameter) on the SQLite file `filename`. */
export function startSqliteSideWriter(filename: string, sql: string): SideWriter {
  const here = fileURLToPath(import.meta.url);
  const script = new URL(`./sqlite-side-writer-worker${extname(here)}`, import.meta.url);
  const worker = new Worker(script, {
    workerData: { filename, sql, busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS },
    // It holds one batch's text at a time: a small heap keeps the process's memory near what it
    // was without the worker (a default young generation alone grows to tens of MB).
    resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 },
  });
  const pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  let closed: Promise<void> | undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  const failAll = (err: Error) => {
    failure ??= err;
    for (const { reject } of pending.values()) reject(err);
    pending.clear();
  };
  worker.on('message', (reply: Reply) => {
    const waiting = pending.get(reply.id);
    if (waiting === undefined) return;
    pending.delete(reply.id);
    if (reply.error === undefined) waiting.resolve();
    else waiting.reject(new Error(`side write failed: ${reply.error}`));
  });
  worker.on('error', (err: Error) => failAll(err));
  void exited.then(() => failAll(new Error('the side writer has stopped')));

  return {
    run(param) {
      if (closed !== undefined) return Promise.reject(new Error('the side writer is closed'));
      if (failure !== undefined) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, param });
      });
    },
    close() {
      closed ??= (async () => {
        // Messages are handled in order: the close comes after every run asked for.
        if (failure === undefined) worker.postMessage({ close: true });
        else await worker.terminate();
        await exited;
      })();
      return closed;
    },
  };
}
