// Isolated PostgreSQL databases for tests: each `cu_test_<random>` database is created through
// an admin connection and dropped WITH (FORCE) afterwards, so runs on a shared server never see
// each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The admin URL with its database replaced by `name`. */
export function urlForDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates a fresh database and returns its name. */
export async function createTestDatabase(adminUrl: string): Promise<string> {
  const name = `cu_test_${randomBytes(8).toString('hex')}`;
  // The name is ours (hex), never user input, so quoting it as an identifier is safe.
  await withAdmin(adminUrl, (c) => c.query(`create database "${name}"`));
  return name;
}

/** Drops the databases, disconnecting any session still attached (PostgreSQL ≥13). */
export async function dropTestDatabases(adminUrl: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await withAdmin(adminUrl, async (c) => {
    for (const name of names) {
      if (!/^cu_test_[0-9a-f]+$/.test(name)) throw new TypeError('not a test database name');
      await c.query(`drop database if exists "${name}" with (force)`);
    }
  });
}
