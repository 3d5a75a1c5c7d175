// Maps driver errors to the constraint violations stores care about, so repositories turn a
// duplicate or a dangling reference into a 409/404 problem without knowing the dialect.
// SQLite: better-sqlite3 `SqliteError.code` carries the extended result code
// (https://sqlite.org/rescode.html). PostgreSQL: `pg` exposes the SQLSTATE as `code`
// (Appendix A of the PostgreSQL manual: 23505 unique_violation, 23503 foreign_key_violation).

const SQLITE_UNIQUE = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const SQLITE_FOREIGN_KEY = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY']);
const PG_UNIQUE = '23505';
const PG_FOREIGN_KEY = '23503';

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const { code } = err;
  return typeof code === 'string' ? code : undefined;
}

/** True when the error is a unique or primary-key violation in either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && (SQLITE_UNIQUE.has(code) || code === PG_UNIQUE);
}

/** True when the error is a foreign-key violation in either dialect. */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && (SQLITE_FOREIGN_KEY.has(code) || code === PG_FOREIGN_KEY);
}

/** The name of the violated constraint when the driver reports it (PostgreSQL only). */
export function violatedConstraint(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('constraint' in err)) return undefined;
  const { constraint } = err;
  return typeof constraint === 'string' ? constraint : undefined;
}
