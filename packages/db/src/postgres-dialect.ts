// PostgreSQL through a pg Pool. int8 columns come back as JS numbers (our timestamps are epoch
// ms, well inside 2^53), not the strings pg returns by default; a value outside the safe range
// throws rather than silently losing precision.
import { createRequire } from 'node:module';
import { PostgresDialect } from 'kysely';
import type pgModule from 'pg';
import type { DatabaseLogger } from './create-database.js';
import type { DatabaseConfig } from './database-config.js';

const INT8_OID = 20;

// pg is loaded on first use, so a product on SQLite never loads it (start time and memory).
const require = createRequire(import.meta.url);
let loaded: typeof pgModule | undefined;
const pg = (): typeof pgModule => (loaded ??= require('pg') as typeof pgModule);

export function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError('int8 value exceeds the safe integer range');
  return n;
}

type TextParser = (value: string) => unknown;

// Kysely queries use the text protocol, so only text parsers matter here.
const getTypeParser = ((oid: number): TextParser =>
  oid === INT8_OID
    ? parseInt8
    : (pg().types.getTypeParser(oid, 'text') as TextParser)) as typeof pgModule.types.getTypeParser;

export function createPostgresPool(
  connectionString: string,
  pool: DatabaseConfig['pool'],
  logger: DatabaseLogger,
): pgModule.Pool {
  const created = new (pg().Pool)({
    connectionString,
    max: pool.max,
    idleTimeoutMillis: pool.idleTimeoutMs,
    connectionTimeoutMillis: pool.connectionTimeoutMs,
    types: { getTypeParser },
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled, it would crash
  // the process. The pool discards that client and opens a new one on demand.
  created.on('error', (err) => {
    logger.warn({ code: (err as { code?: unknown }).code }, 'idle postgres connection failed');
  });
  return created;
}

export function createPostgresDialect(
  connectionString: string,
  pool: DatabaseConfig['pool'],
  logger: DatabaseLogger,
): PostgresDialect {
  return new PostgresDialect({ pool: createPostgresPool(connectionString, pool, logger) });
}
