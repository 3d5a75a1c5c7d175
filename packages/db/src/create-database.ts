// The database factory: one `Database` handle per process, over embedded SQLite (better-sqlite3)
// or PostgreSQL (a pg Pool), chosen by the configured URL. Callers get kysely plus the dialect,
// which migrations need for the few column types that differ.
import { Kysely, sql } from 'kysely';
import { databaseConfigSchema, type DatabaseConfigInput } from './database-config.js';
import { describeDatabaseUrl, parseDatabaseUrl, type Dialect } from './database-url.js';
import { createPostgresDialect } from './postgres-dialect.js';
import { createSqliteDialect } from './sqlite-dialect.js';

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
  return {
    kysely,
    dialect: parsed.dialect,
    async ping() {
      await sql`select 1`.execute(kysely);
    },
    destroy() {
      destroyed ??= kysely.destroy().then(() => {
        logger.info({ dialect: parsed.dialect }, 'database closed');
      });
      return destroyed;
    },
  };
}
