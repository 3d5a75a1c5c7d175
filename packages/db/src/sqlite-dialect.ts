// Embedded SQLite through better-sqlite3. The pragmas follow ARCHITECTURE §3: WAL lets readers
// run beside the one writer (file databases only; `:memory:` has no WAL), busy_timeout makes a
// second process wait for the write lock instead of failing at once, foreign_keys turns on
// constraint checks SQLite leaves off by default, and synchronous=NORMAL is durable in WAL mode
// except for the last transactions before a power loss (https://sqlite.org/pragma.html).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import type { DatabaseLogger } from './create-database.js';

export const SQLITE_BUSY_TIMEOUT_MS = 30_000;

export interface SqliteTarget {
  readonly filename: string;
  readonly memory: boolean;
}

/** Opens the file (creating its directory) and applies the pragmas before any query runs. */
export function openSqlite(target: SqliteTarget): BetterSqlite3.Database {
  if (!target.memory) mkdirSync(dirname(resolve(target.filename)), { recursive: true });
  const db = new BetterSqlite3(target.filename, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    // busy_timeout first: switching to WAL needs a lock another process may hold.
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    if (!target.memory) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export function createSqliteDialect(target: SqliteTarget, logger: DatabaseLogger): SqliteDialect {
  // Opened lazily by kysely on the first query, so a factory call never touches the disk.
  return new SqliteDialect({
    database: () => {
      const db = openSqlite(target);
      logger.debug({ journalMode: db.pragma('journal_mode', { simple: true }) }, 'sqlite opened');
      return Promise.resolve(db);
    },
  });
}
