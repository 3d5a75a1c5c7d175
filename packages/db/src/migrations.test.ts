import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { bigintType, binaryType } from './column-types.js';
import { createDatabase, type Database } from './create-database.js';
import {
  listAppliedMigrations,
  runMigrations,
  validateMigrations,
  type Migration,
} from './migrations.js';

const noop = (): Promise<void> => Promise.resolve();
const m = (version: number, name = `m${version}`, up: Migration['up'] = noop): Migration => ({
  version,
  name,
  up,
});

describe('validateMigrations', () => {
  it('accepts distinct positive versions in any order', () => {
    expect(validateMigrations([m(2001), m(1001), m(5001)])).toBeUndefined();
  });

  it.each([
    [[m(1001), m(1001, 'again')], 'migration version 1001 is used twice'],
    [[m(0)], 'migration version must be a positive integer, got 0'],
    [[m(1.5)], 'migration version must be a positive integer, got 1.5'],
    [[m(Number.NaN)], 'migration version must be a positive integer, got NaN'],
    [[m(7, ' ')], 'migration 7 needs a name'],
    [[{ version: 8, name: 'x' } as unknown as Migration], 'migration 8 needs an up()'],
    ['nope' as unknown as Migration[], 'migrations must be an array'],
  ])('throws TypeError for a malformed list (%#)', (list, message) => {
    expect(() => validateMigrations(list)).toThrow(new TypeError(message));
  });
});

describe('runMigrations on in-memory SQLite', () => {
  let database: Database<unknown>;
  afterEach(async () => {
    await database.destroy();
  });

  it('applies pending migrations in version order, once, recording each', async () => {
    database = createDatabase({ url: ':memory:' });
    const order: number[] = [];
    const track =
      (v: number): Migration['up'] =>
      async (db, dialect) => {
        order.push(v);
        await db.schema
          .createTable(`t${v}`)
          .addColumn('at', bigintType(dialect))
          .addColumn('raw', binaryType(dialect))
          .execute();
      };
    const list = [m(2002, 'b', track(2002)), m(1001, 'a', track(1001))];
    expect(await listAppliedMigrations(database)).toEqual([]);
    expect(await runMigrations(database, list, { now: () => 42 })).toEqual({
      applied: [1001, 2002],
    });
    expect(await runMigrations(database, list)).toEqual({ applied: [] });
    expect(order).toEqual([1001, 2002]);
    expect(await listAppliedMigrations(database)).toEqual([
      { version: 1001, name: 'a', appliedAt: 42 },
      { version: 2002, name: 'b', appliedAt: 42 },
    ]);
  });

  it('rolls a failing migration back and keeps the ones before it', async () => {
    database = createDatabase({ url: ':memory:' });
    const logged: unknown[] = [];
    const failing = m(1002, 'fails', async (db) => {
      await db.schema.createTable('half').addColumn('x', 'text').execute();
      throw new Error('boom');
    });
    const run = runMigrations(database, [m(1001), failing], {
      logger: { info: (fields) => logged.push(fields) },
    });
    await expect(run).rejects.toThrow('boom');
    expect((await listAppliedMigrations(database)).map((a) => a.version)).toEqual([1001]);
    expect(logged).toEqual([{ version: 1001, name: 'm1001' }]);
    const { rows } = await sql<{
      n: number;
    }>`select count(*) as n from sqlite_master where name = 'half'`.execute(database.kysely);
    expect(rows[0]?.n).toBe(0);
  });

  it('validates before touching the database', async () => {
    database = createDatabase({ url: ':memory:' });
    await expect(runMigrations(database, [m(1), m(1)])).rejects.toThrow(TypeError);
    expect(await listAppliedMigrations(database)).toEqual([]);
  });
});
