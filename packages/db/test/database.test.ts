// The factory against a real server on each dialect: ping, int8 parsing, pool error handling.
import { describeEachDialect } from '@cryptoutil/db/testing';
import { sql } from 'kysely';
import { expect, it, vi } from 'vitest';
import { createDatabase, type DatabaseLogger } from '../src/index.js';

describeEachDialect('createDatabase', (ctx) => {
  it('answers ping and returns counts and 64-bit integers as numbers', async () => {
    const database = await ctx.createDatabase();
    await database.ping();
    const { rows } = await sql<{ n: unknown; big: unknown }>`
      select count(*) as n, cast(${2 ** 52 + 1} as bigint) as big`.execute(database.kysely);
    expect(rows).toEqual([{ n: 1, big: 2 ** 52 + 1 }]);
  });

  it('refuses (PostgreSQL) int8 values a JS number cannot hold exactly', async () => {
    // better-sqlite3 rounds such values (safeIntegers off); epoch ms stay far below 2^53.
    if (ctx.dialect === 'sqlite') return;
    const database = await ctx.createDatabase();
    const query = sql`select cast('9007199254740993' as bigint) as big`.execute(database.kysely);
    await expect(query).rejects.toThrow(RangeError);
  });
});

describeEachDialect('postgres pool', (ctx) => {
  it('survives the server closing an idle connection and logs without the URL', async () => {
    if (ctx.dialect === 'sqlite') return; // SQLite has no pool
    const warn = vi.fn();
    const logger: DatabaseLogger = { debug: vi.fn(), info: vi.fn(), warn };
    const url = await ctx.createUrl();
    const database = createDatabase({ url, pool: { max: 1, idleTimeoutMs: 0 } }, { logger });
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(
        database.kysely,
      );
      const admin = await ctx.createDatabase({ url });
      await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(admin.kysely);
      await vi.waitFor(() =>
        expect(warn).toHaveBeenCalledWith({ code: '57P01' }, 'idle postgres connection failed'),
      );
      await database.ping();
    } finally {
      await database.destroy();
    }
  });
});
