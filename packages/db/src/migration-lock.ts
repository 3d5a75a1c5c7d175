// The write lock that keeps two instances starting together from applying one migration twice.
// Each call runs `fn` in a transaction that holds a database-wide lock:
// - PostgreSQL: `pg_advisory_xact_lock` on a fixed key, released by commit or rollback, so a
//   crashed instance never leaves it held; `lock_timeout` bounds the wait.
// - SQLite: `BEGIN IMMEDIATE` takes the file's write lock up front. The wait is an async retry
//   with busy_timeout at 0 (restored afterwards), not SQLite's busy handler, because that
//   handler blocks the event loop, and would deadlock two handles in one process.
import { sql, type Kysely } from 'kysely';
import type { Database } from './create-database.js';
import { SQLITE_BUSY_TIMEOUT_MS } from './sqlite-dialect.js';

/** `cumg` in ASCII: the advisory lock key every cryptoutil migration run shares. */
export const MIGRATION_LOCK_KEY = 0x63756d67;

export interface LockOptions {
  /** Milliseconds to wait for another instance's migration to finish; default 120 000. */
  readonly lockTimeoutMs?: number;
}

/** Migrations run on any schema: each owner brings its own table types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKysely = Kysely<any>;

type Locked<T> = (db: AnyKysely) => Promise<T>;

export async function withMigrationLock<DB, T>(
  database: Database<DB>,
  options: LockOptions,
  fn: Locked<T>,
): Promise<T> {
  const timeoutMs = options.lockTimeoutMs ?? 120_000;
  const kysely = database.kysely as AnyKysely;
  if (database.dialect === 'postgres') {
    return kysely.transaction().execute(async (trx) => {
      await sql`select set_config('lock_timeout', ${`${timeoutMs}ms`}, true)`.execute(trx);
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
      return fn(trx);
    });
  }
  return kysely.connection().execute(async (db) => {
    await beginImmediate(db, Date.now() + timeoutMs);
    let result: T;
    try {
      result = await fn(db);
    } catch (err) {
      // SQLite may already have rolled back (e.g. on SQLITE_FULL); then rollback itself fails.
      await sql`rollback`.execute(db).catch(() => undefined);
      throw err;
    }
    await sql`commit`.execute(db);
    return result;
  });
}

function isBusy(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'SQLITE_BUSY';
}

async function beginImmediate(db: Kysely<unknown>, deadline: number): Promise<void> {
  await sql.raw('pragma busy_timeout = 0').execute(db);
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await sql.raw('begin immediate').execute(db);
        return;
      } catch (err) {
        if (!isBusy(err) || Date.now() >= deadline) throw err;
      }
      await new Promise((r) => setTimeout(r, Math.min(5 * 2 ** attempt, 200)));
    }
  } finally {
    await sql.raw(`pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`).execute(db);
  }
}
