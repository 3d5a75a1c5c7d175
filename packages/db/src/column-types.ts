// Column types for migrations where the two dialects differ (ARCHITECTURE §3): binary is
// `blob` in SQLite and `bytea` in PostgreSQL; epoch-millisecond timestamps need 64 bits, which
// is `bigint` in PostgreSQL and `integer` (always up to 8 bytes) in SQLite. Text, JSON-as-text
// and UUIDv7-as-text are `text` in both, so they need no helper.
import type { Dialect } from './database-url.js';

/** Column type for binary data: `blob` (SQLite) or `bytea` (PostgreSQL). */
export function binaryType(dialect: Dialect): 'blob' | 'bytea' {
  return dialect === 'sqlite' ? 'blob' : 'bytea';
}

/** Column type for 64-bit integers such as epoch-ms timestamps. */
export function bigintType(dialect: Dialect): 'integer' | 'bigint' {
  return dialect === 'sqlite' ? 'integer' : 'bigint';
}
