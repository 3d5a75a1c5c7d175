// Database URLs: which dialect a configured URL selects, where a SQLite file lives, and a
// redacted form for logs. The URL is a secret config field (it may carry a password), so only
// `describeDatabaseUrl` output may ever reach a log line or an error message.

export type Dialect = 'sqlite' | 'postgres';

export type ParsedDatabaseUrl =
  | { readonly dialect: 'sqlite'; readonly filename: string; readonly memory: boolean }
  | { readonly dialect: 'postgres'; readonly connectionString: string };

const MEMORY = ':memory:';

/** Reads a database URL; throws TypeError (without echoing the URL) when it is not one we accept. */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  if (url === MEMORY || url === `sqlite:${MEMORY}`) {
    return { dialect: 'sqlite', filename: MEMORY, memory: true };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return parsePostgres(url);
  // No `file:` form: the url is a secret field, where `file:///…` names a secret file to read.
  const sqlite = /^sqlite:(.*)$/is.exec(url);
  if (sqlite) return { dialect: 'sqlite', filename: sqlitePath(sqlite[1] ?? ''), memory: false };
  throw new TypeError('database url must be ":memory:", "sqlite:<path>" or "postgres://…"');
}

function parsePostgres(url: string): ParsedDatabaseUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('database url is not a valid postgres:// URL');
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new TypeError('postgres database url needs a host');
  }
  return { dialect: 'postgres', connectionString: url };
}

// `sqlite:./rel.db` and `sqlite:rel.db` are relative to the working directory; `sqlite:///abs.db`
// and `sqlite:/abs.db` are absolute. An authority (`sqlite://host/…`) means nothing for a local
// file, and SQLite URI parameters (`?mode=ro`) are not supported, so both are refused.
function sqlitePath(rest: string): string {
  if (rest.includes('?') || rest.includes('#')) {
    throw new TypeError('sqlite database url must not carry query parameters or a fragment');
  }
  let path = rest;
  if (path.startsWith('//')) {
    if (!path.startsWith('///')) throw new TypeError('sqlite database url must not name a host');
    path = path.slice(2);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw new TypeError('sqlite database url has invalid percent-encoding');
  }
  if (decoded === '' || decoded.endsWith('/')) {
    throw new TypeError('sqlite database url must name a file');
  }
  if (decoded.includes('\0')) throw new TypeError('sqlite database url must not contain NUL');
  return decoded;
}

/** True when `parseDatabaseUrl` accepts the URL. */
export function isDatabaseUrl(url: string): boolean {
  try {
    parseDatabaseUrl(url);
    return true;
  } catch {
    return false;
  }
}

/**
 * A form of the URL that is safe to log: user names and passwords are replaced by `***` and
 * query parameters other than a known-harmless few are dropped (libpq accepts `password=` there).
 */
export function describeDatabaseUrl(url: string): string {
  let parsed: ParsedDatabaseUrl;
  try {
    parsed = parseDatabaseUrl(url);
  } catch {
    return '<invalid database url>';
  }
  if (parsed.dialect === 'sqlite')
    return parsed.memory ? 'sqlite::memory:' : `sqlite:${parsed.filename}`;
  const u = new URL(parsed.connectionString);
  const credentials = u.username !== '' || u.password !== '' ? '***@' : '';
  const host = u.host === '' ? (u.searchParams.get('host') ?? '') : u.host;
  return `${u.protocol}//${credentials}${host}${u.pathname}`;
}
