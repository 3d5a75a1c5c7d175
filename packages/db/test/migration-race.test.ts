// Two instances starting together on one database: each migration is applied exactly once.
// PostgreSQL: two Database handles (two pools) on one database; SQLite: two handles on one file.
import { describeEachDialect } from '@cryptoutil/db/testing';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { listAppliedMigrations, runMigrations, type Migration } from '../src/index.js';

function contendedMigrations(): { list: Migration[]; calls: number[]; maxInFlight: () => number } {
  const calls: number[] = [];
  let inFlight = 0;
  let max = 0;
  const list = [1001, 1002, 2001, 3001].map((version): Migration => ({
    version,
    name: `create-t${version}`,
    up: async (db) => {
      inFlight += 1;
      max = Math.max(max, inFlight);
      calls.push(version);
      // Yield to the event loop, so the other instance really contends for the lock.
      await new Promise((r) => setTimeout(r, 15));
      await db.schema
        .createTable(`t${version}`)
        .addColumn('id', 'text', (c) => c.primaryKey())
        .execute();
      inFlight -= 1;
    },
  }));
  return { list, calls, maxInFlight: () => max };
}

describeEachDialect('migrations', (ctx) => {
  it('apply each version exactly once when two instances start together', async () => {
    const url = await ctx.createUrl({ file: true });
    const first = await ctx.createDatabase({ url });
    const second = await ctx.createDatabase({ url });
    const { list, calls, maxInFlight } = contendedMigrations();

    const [a, b] = await Promise.all([runMigrations(first, list), runMigrations(second, list)]);

    expect([...a.applied, ...b.applied].sort()).toEqual([1001, 1002, 2001, 3001]);
    expect([...calls].sort()).toEqual([1001, 1002, 2001, 3001]);
    expect(maxInFlight()).toBe(1);
    const { rows } = await sql<{ version: number; n: number }>`
      select version, count(*) as n from cryptoutil_migrations group by version order by version`.execute(
      first.kysely,
    );
    expect(rows.map((r) => [Number(r.version), Number(r.n)])).toEqual([
      [1001, 1],
      [1002, 1],
      [2001, 1],
      [3001, 1],
    ]);
    expect((await listAppliedMigrations(second)).map((m) => m.name)).toEqual([
      'create-t1001',
      'create-t1002',
      'create-t2001',
      'create-t3001',
    ]);
  });

  it('are idempotent and apply only versions added later', async () => {
    const database = await ctx.createDatabase({ file: true });
    const { list } = contendedMigrations();
    expect(await runMigrations(database, list.slice(0, 2))).toEqual({ applied: [1001, 1002] });
    expect(await runMigrations(database, list)).toEqual({ applied: [2001, 3001] });
    expect(await runMigrations(database, list)).toEqual({ applied: [] });
  });

  it('give up when another instance holds the lock past lockTimeoutMs', async () => {
    const url = await ctx.createUrl({ file: true });
    const holder = await ctx.createDatabase({ url });
    const waiter = await ctx.createDatabase({ url });
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const isStarted = new Promise<void>((r) => (started = r));
    const slow: Migration = {
      version: 1001,
      name: 'slow',
      up: () => {
        started();
        return new Promise<void>((r) => (release = r));
      },
    };
    const holding = runMigrations(holder, [slow]);
    await isStarted;
    const waited = await runMigrations(waiter, [slow], { lockTimeoutMs: 50 }).catch(
      (e: unknown) => e,
    );
    release();
    expect(await holding).toEqual({ applied: [1001] });
    expect(waited).toHaveProperty('code', ctx.dialect === 'sqlite' ? 'SQLITE_BUSY' : '55P03');
    expect(await runMigrations(waiter, [slow])).toEqual({ applied: [] });
  });
});
