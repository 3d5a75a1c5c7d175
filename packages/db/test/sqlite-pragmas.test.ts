// The SQLite pragmas ARCHITECTURE §3 requires, read back from a real file database.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/index.js';

async function pragma(database: Database<unknown>, name: string): Promise<unknown> {
  const { rows } = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(
    database.kysely,
  );
  return Object.values(rows[0] ?? {})[0];
}

describe('SQLite pragmas', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cu-db-pragmas-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the parent directory and sets WAL, busy_timeout, foreign_keys and synchronous', async () => {
    const file = join(dir, 'nested', 'data', 'kms.db');
    const database = createDatabase({ url: `sqlite://${file}` });
    expect(existsSync(file)).toBe(false);
    await database.ping();
    expect(existsSync(file)).toBe(true);
    expect(await pragma(database, 'journal_mode')).toBe('wal');
    expect(await pragma(database, 'busy_timeout')).toBe(30_000);
    expect(await pragma(database, 'foreign_keys')).toBe(1);
    expect(await pragma(database, 'synchronous')).toBe(1); // NORMAL
    await database.destroy();
  });

  it('keeps :memory: databases in memory journal mode with the other pragmas set', async () => {
    const database = createDatabase({ url: ':memory:' });
    expect(await pragma(database, 'journal_mode')).toBe('memory');
    expect(await pragma(database, 'busy_timeout')).toBe(30_000);
    expect(await pragma(database, 'foreign_keys')).toBe(1);
    await database.destroy();
  });

  it('reports an unopenable file on first use and closes cleanly', async () => {
    const database = createDatabase({ url: `sqlite:${join(dir, 'not-a-db.db')}` });
    writeFileSync(
      join(dir, 'not-a-db.db'),
      'this is not an sqlite file, it is long enough to have a header '.repeat(4),
    );
    await expect(database.ping()).rejects.toHaveProperty('code', 'SQLITE_NOTADB');
    await database.destroy();
  });
});
