// The database factory: one `Database` handle per process, over embedded SQLite (better-sqlite3)
// or PostgreSQL (a pg Pool), chosen by the configured URL. Callers get kysely plus the dialect,
// which migrations need for the few column types that differ.
import { Kysely, sql } from 'kysely';
import { databaseConfigSchema, type DatabaseConfigInput } from './database-config.js';
import { describeDatabaseUrl, parseDatabaseUrl, type Dialect } from './database-url.js';
import { createPostgresDialect } from './postgres-dialect.js';
import { createSqliteDialect } from './sqlite-dialect.js';
import { startSqliteSideWriter, type SideWriter } from './sqlite-side-writer.js';

type LogFn = (fields: Record<string, unknown>, msg: string) => void;

/** The logger subset the factory uses; a pino logger fits. */
export interface DatabaseLogger {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
}

export interface CreateDatabaseOptions {
  readonly logger?: DatabaseLogger;
}

export interface Database<DB> {
  readonly kysely: Kysely<DB>;
  readonly dialect: Dialect;
  /** Resolves when the database answers a trivial query (readiness checks). */
  ping(): Promise<void>;
  /**
   * A writer for `sql` (one text parameter) on its own connection in a worker thread, for a
   * SQLite file; undefined for `:memory:` (one connection only) and PostgreSQL (whose writes
   * already happen in the server). Closed by `destroy`.
   */
  sideWriter(sql: string): SideWriter | undefined;
  /** Closes the connection or pool; safe to call more than once. */
  destroy(): Promise<void>;
}

const silent: LogFn = () => undefined;
const silentLogger: DatabaseLogger = { debug: silent, info: silent, warn: silent };

/** Opens the configured database. The URL never reaches a log except through describeDatabaseUrl. */
export function createDatabase<DB>(
  config: DatabaseConfigInput,
  options: CreateDatabaseOptions = {},
): Database<DB> {
  const { url, pool } = databaseConfigSchema.parse(config);
  const logger = options.logger ?? silentLogger;
  const parsed = parseDatabaseUrl(url);
  const dialect =
    parsed.dialect === 'sqlite'
      ? createSqliteDialect(parsed, logger)
      : createPostgresDialect(parsed.connectionString, pool, logger);
  const kysely = new Kysely<DB>({ dialect });
  logger.info({ database: describeDatabaseUrl(url), dialect: parsed.dialect }, 'database opened');
  let destroyed: Promise<void> | undefined;
  const sideWriters: SideWriter[] = [];
  return {
    kysely,
    dialect: parsed.dialect,
    async ping() {
      await sql`select 1`.execute(kysely);
    },
    sideWriter(statement) {
      if (parsed.dialect !== 'sqlite' || parsed.memory || destroyed !== undefined) return undefined;
      const writer = startSqliteSideWriter(parsed.filename, statement);
      sideWriters.push(writer);
      return writer;
    },
    destroy() {
      destroyed ??= Promise.all(sideWriters.map((w) => w.close()))
        .then(() => kysely.destroy())
        .then(() => {
          logger.info({ dialect: parsed.dialect }, 'database closed');
        });
      return destroyed;
    },
  };
}
