// Schema migrations shared by every package and service. Owners number theirs in their own
// range (barrier and session 1xxx, kms 2xxx, jose 3xxx, ca 4xxx, identity 5xxx) and record them
// in one table, `cryptoutil_migrations`. Each migration runs in its own transaction together
// with its row, under the migration lock, so a failure leaves no half-applied step and
// concurrent starts apply each version exactly once. Migrations must not open transactions or
// use statements PostgreSQL forbids in one (CREATE INDEX CONCURRENTLY).
import { sql, type Kysely } from 'kysely';
import type { Database, DatabaseLogger } from './create-database.js';
import type { Dialect } from './database-url.js';
import { withMigrationLock, type AnyKysely, type LockOptions } from './migration-lock.js';

export const MIGRATIONS_TABLE = 'cryptoutil_migrations';

export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: AnyKysely, dialect: Dialect): Promise<void>;
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  /** Epoch milliseconds. */
  readonly appliedAt: number;
}

export interface RunMigrationsOptions extends LockOptions {
  readonly logger?: Pick<DatabaseLogger, 'info'>;
  /** Clock for `applied_at` (tests inject one). */
  readonly now?: () => number;
}

interface MigrationsTable {
  cryptoutil_migrations: { version: number; name: string; applied_at: number };
}

/** Throws TypeError on a malformed list: these are programming errors, caught by any test. */
export function validateMigrations(migrations: readonly Migration[]): void {
  const list = migrations; // a copy Array.isArray does not narrow to any[]
  if (!Array.isArray(migrations)) throw new TypeError('migrations must be an array');
  const seen = new Set<number>();
  for (const m of list) {
    if (!Number.isSafeInteger(m.version) || m.version < 1) {
      throw new TypeError(`migration version must be a positive integer, got ${String(m.version)}`);
    }
    if (typeof m.name !== 'string' || m.name.trim() === '') {
      throw new TypeError(`migration ${m.version} needs a name`);
    }
    if (typeof m.up !== 'function') throw new TypeError(`migration ${m.version} needs an up()`);
    if (seen.has(m.version)) throw new TypeError(`migration version ${m.version} is used twice`);
    seen.add(m.version);
  }
}

async function ensureTable(db: AnyKysely): Promise<void> {
  await db.schema
    .createTable(MIGRATIONS_TABLE)
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .execute();
}

/** Applies pending migrations in version order; returns the versions this call applied. */
export async function runMigrations<DB>(
  database: Database<DB>,
  migrations: readonly Migration[],
  options: RunMigrationsOptions = {},
): Promise<{ applied: number[] }> {
  validateMigrations(migrations);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const now = options.now ?? Date.now;
  const applied: number[] = [];
  // One lock per step: the pending set is re-read under the lock, so versions another instance
  // applied meanwhile are skipped.
  for (;;) {
    const step = await withMigrationLock(database, options, async (db) => {
      await ensureTable(db);
      const done = new Set(await appliedVersions(db as Kysely<MigrationsTable>));
      const next = sorted.find((m) => !done.has(m.version));
      if (!next) return undefined;
      await next.up(db, database.dialect);
      await (db as Kysely<MigrationsTable>)
        .insertInto('cryptoutil_migrations')
        .values({ version: next.version, name: next.name, applied_at: now() })
        .execute();
      return next;
    });
    if (!step) break;
    options.logger?.info({ version: step.version, name: step.name }, 'migration applied');
    applied.push(step.version);
  }
  return { applied };
}

async function appliedVersions(db: Kysely<MigrationsTable>): Promise<number[]> {
  const rows = await db.selectFrom('cryptoutil_migrations').select('version').execute();
  return rows.map((r) => Number(r.version));
}

async function tableExists<DB>(database: Database<DB>): Promise<boolean> {
  const query =
    database.dialect === 'sqlite'
      ? sql<{
          n: number;
        }>`select count(*) as n from sqlite_master where type = 'table' and name = ${MIGRATIONS_TABLE}`
      : sql<{
          n: number;
        }>`select count(*)::int as n from pg_tables where schemaname = current_schema() and tablename = ${MIGRATIONS_TABLE}`;
  const { rows } = await query.execute(database.kysely);
  return Number(rows[0]?.n) > 0;
}

/** The migrations recorded in the database, by version; empty before the first run. */
export async function listAppliedMigrations<DB>(
  database: Database<DB>,
): Promise<AppliedMigration[]> {
  if (!(await tableExists(database))) return [];
  const db = database.kysely as unknown as Kysely<MigrationsTable>;
  const rows = await db
    .selectFrom('cryptoutil_migrations')
    .selectAll()
    .orderBy('version')
    .execute();
  return rows.map((r) => ({
    version: Number(r.version),
    name: r.name,
    appliedAt: Number(r.applied_at),
  }));
}
