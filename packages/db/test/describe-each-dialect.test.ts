// The dual-dialect helper itself: isolation, cleanup, and the skip path without PostgreSQL.
import { existsSync } from 'node:fs';
import {
  containerRuntimeAvailable,
  createDescribeEachDialect,
  describeEachDialect,
  planPostgres,
  type DialectContext,
} from '@cryptoutil/db/testing';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';

const created: { dialect: string; url: string }[] = [];
const postgresRuns = ['url', 'container'].includes(
  planPostgres(process.env, containerRuntimeAvailable).kind,
);
const testPostgresUrl = process.env['TEST_POSTGRES_URL'];

describeEachDialect('helper', (ctx) => {
  it('exposes the server URL', () => {
    expect(ctx.url).toBe(ctx.dialect === 'sqlite' ? ':memory:' : testPostgresUrl);
  });

  it('gives every createDatabase call its own empty database', async () => {
    const one = await ctx.createDatabase();
    const two = await ctx.createDatabase();
    await sql`create table marker (v text)`.execute(one.kysely);
    await expect(sql`select * from marker`.execute(two.kysely)).rejects.toThrow(/marker/);
  });

  it('opens a second handle on a database from createUrl', async () => {
    const url = await ctx.createUrl({ file: true });
    created.push({ dialect: ctx.dialect, url });
    const one = await ctx.createDatabase({ url });
    const two = await ctx.createDatabase({ url, pool: { max: 2 } });
    await sql`create table shared (v text)`.execute(one.kysely);
    await sql`insert into shared values ('seen')`.execute(one.kysely);
    const { rows } = await sql<{ v: string }>`select v from shared`.execute(two.kysely);
    expect(rows).toEqual([{ v: 'seen' }]);
  });
});

describe('after the helper suites', () => {
  it('dropped their PostgreSQL databases and removed their SQLite files', async () => {
    for (const { dialect, url } of created) {
      if (dialect === 'sqlite') {
        expect(existsSync(url.slice('sqlite:'.length))).toBe(false);
        continue;
      }
      const name = new URL(url).pathname.slice(1);
      expect(name).toMatch(/^cu_test_[0-9a-f]{16}$/);
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [
        name,
      ]);
      await client.end();
      expect(rowCount).toBe(0);
    }
    expect(created.map((c) => c.dialect).sort()).toEqual(
      postgresRuns ? ['postgres', 'sqlite'] : ['sqlite'],
    );
  });
});

// Without TEST_POSTGRES_URL or a container runtime the postgres half is skipped, with the reason.
const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
const collected: { dialect: string; urlError: string }[] = [];
createDescribeEachDialect({}, { runtimeAvailable: () => false })(
  'unreachable',
  (ctx: DialectContext) => {
    let urlError = '';
    try {
      void ctx.url;
    } catch (err) {
      urlError = (err as Error).message;
    }
    collected.push({ dialect: ctx.dialect, urlError });
    it('would run here', () => {
      expect(ctx.dialect).toBe('sqlite');
    });
  },
);
const warnings = warn.mock.calls.map((args) => String(args[0]));
warn.mockRestore();

describe('a suite without PostgreSQL', () => {
  it('is registered skipped, its reason logged once, ctx.url guarded outside hooks', () => {
    expect(collected.map((c) => c.dialect)).toEqual(['sqlite', 'postgres']);
    expect(collected[1]?.urlError).toBe('ctx.url is available only inside hooks and tests');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/postgres suites skipped: PostgreSQL is unreachable/);
  });
});

// With a container runtime (faked here by the server at TEST_POSTGRES_URL), suites of a file
// share one container, started once and stopped after the last suite.
const container = { starts: 0, stops: 0 };
const startFake = (adminUrl: string) => () => {
  container.starts += 1;
  const stop = (): Promise<void> => {
    container.stops += 1;
    return Promise.resolve();
  };
  return Promise.resolve({ adminUrl, stop });
};
describe.runIf(testPostgresUrl)('a file of container suites', () => {
  const withContainer = createDescribeEachDialect(
    {},
    { runtimeAvailable: () => true, startContainer: startFake(testPostgresUrl!) },
  );
  for (const name of ['container one', 'container two']) {
    withContainer(name, (ctx) => {
      it('reaches the container', async () => {
        const database = await ctx.createDatabase();
        await database.ping();
        expect(ctx.url).toBe(ctx.dialect === 'sqlite' ? ':memory:' : testPostgresUrl);
      });
    });
  }
  describe('after the container suites', () => {
    it('started the container once and stopped it once', () => {
      expect(container).toEqual({ starts: 1, stops: 1 });
    });
  });
});
