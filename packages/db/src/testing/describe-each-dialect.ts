// `describeEachDialect` registers one suite body twice, against SQLite and PostgreSQL, the way
// kysely tests every dialect with one suite. Each suite owns what it creates: databases opened
// through the context are destroyed, PostgreSQL test databases dropped and SQLite temp files
// removed in afterAll.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createDatabase, type Database } from '../create-database.js';
import type { DatabaseConfigInput } from '../database-config.js';
import type { Dialect } from '../database-url.js';
import {
  containerRuntimeAvailable,
  planPostgres,
  startPostgresContainer,
  type Env,
  type PostgresServer,
} from './postgres-source.js';
import { createTestDatabase, dropTestDatabases, urlForDatabase } from './test-databases.js';

export interface TestDatabaseOptions {
  /** Another handle on a database from `createUrl` (e.g. a second instance); default: a fresh one. */
  readonly url?: string;
  /** SQLite: a temporary file instead of `:memory:` (WAL, or several handles on one database). */
  readonly file?: boolean;
  readonly pool?: DatabaseConfigInput['pool'];
}

export interface DialectContext {
  readonly dialect: Dialect;
  /** The server URL (PostgreSQL admin URL; `:memory:` for SQLite); readable in hooks and tests. */
  readonly url: string;
  /** A URL naming a fresh, empty, isolated database. */
  createUrl(options?: { readonly file?: boolean }): Promise<string>;
  /** Opens a database (fresh unless `url` is given); destroyed after the suite. */
  createDatabase<DB>(options?: TestDatabaseOptions): Promise<Database<DB>>;
}

type Acquire = () => Promise<{ readonly adminUrl: string; release(): Promise<void> }>;

function registerSuite(
  dialect: Dialect,
  acquire: Acquire,
  fn: (ctx: DialectContext) => void,
): void {
  let server: Awaited<ReturnType<Acquire>> | undefined;
  let tmpDir: string | undefined;
  const opened: Database<unknown>[] = [];
  const pgDatabases: string[] = [];
  let files = 0;
  const adminUrl = (): string => {
    if (!server) throw new Error('ctx.url is available only inside hooks and tests');
    return server.adminUrl;
  };
  const createUrl = async (options: { readonly file?: boolean } = {}): Promise<string> => {
    if (dialect === 'postgres') {
      const name = await createTestDatabase(adminUrl());
      pgDatabases.push(name);
      return urlForDatabase(adminUrl(), name);
    }
    if (!options.file) return ':memory:';
    tmpDir ??= mkdtempSync(join(tmpdir(), 'cu-db-test-'));
    files += 1;
    return `sqlite:${join(tmpDir, `db-${files}.db`)}`;
  };
  const ctx: DialectContext = {
    dialect,
    get url() {
      return adminUrl();
    },
    createUrl,
    async createDatabase<DB>(options: TestDatabaseOptions = {}) {
      const url = options.url ?? (await createUrl({ file: options.file ?? false }));
      const database = createDatabase<DB>({ url, ...(options.pool ? { pool: options.pool } : {}) });
      opened.push(database as Database<unknown>);
      return database;
    },
  };
  beforeAll(async () => {
    server = await acquire();
  });
  // Handles are destroyed before their databases are dropped; destroy is idempotent, so a
  // body's own afterAll that destroys a handle may run before or after this one.
  afterAll(async () => {
    await Promise.all(opened.map((d) => d.destroy()));
    if (server) await dropTestDatabases(server.adminUrl, pgDatabases);
    if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
    await server?.release();
  });
  fn(ctx);
}

/**
 * One container shared by every postgres suite of a test file. Suites are counted when they are
 * registered (all before the first runs), so the container starts with the first suite and
 * stops after the last, not between two suites.
 */
function sharedContainer(start: () => Promise<PostgresServer>): () => Acquire {
  let server: Promise<PostgresServer> | undefined;
  let users = 0;
  return () => {
    users += 1;
    return async () => {
      server ??= start();
      const started = server;
      const { adminUrl } = await started;
      return {
        adminUrl,
        release: async () => {
          users -= 1;
          if (users > 0) return;
          server = undefined;
          await (await started).stop();
        },
      };
    };
  };
}

/** The body of the test that stands in for a postgres suite under CI=true. */
export function failUnreachable(reason: string): () => never {
  return () => {
    throw new Error(`${reason}; CI=true requires PostgreSQL (set TEST_POSTGRES_URL)`);
  };
}

export interface DescribeEachDialectOptions {
  readonly runtimeAvailable?: (env: Env) => boolean;
  readonly startContainer?: () => Promise<PostgresServer>;
}

/** Builds `describeEachDialect` over an environment (the helper's own tests inject one). */
export function createDescribeEachDialect(
  env: Env,
  options: DescribeEachDialectOptions = {},
): (name: string, fn: (ctx: DialectContext) => void) => void {
  const runtimeAvailable = options.runtimeAvailable ?? containerRuntimeAvailable;
  const warned = new Set<string>();
  const registerContainer = sharedContainer(options.startContainer ?? startPostgresContainer);
  return (name, fn) => {
    const memory: Acquire = () =>
      Promise.resolve({ adminUrl: ':memory:', release: () => Promise.resolve() });
    describe(`${name} [sqlite]`, () => registerSuite('sqlite', memory, fn));
    const plan = planPostgres(env, runtimeAvailable);
    switch (plan.kind) {
      case 'url': {
        const fixed: Acquire = () =>
          Promise.resolve({ adminUrl: plan.url, release: () => Promise.resolve() });
        describe(`${name} [postgres]`, () => registerSuite('postgres', fixed, fn));
        return;
      }
      case 'container':
        describe(`${name} [postgres]`, () => registerSuite('postgres', registerContainer(), fn));
        return;
      case 'skip':
        if (!warned.has(plan.reason))
          console.warn(`[@cryptoutil/db/testing] postgres suites skipped: ${plan.reason}`);
        warned.add(plan.reason);
        describe.skip(`${name} [postgres] (skipped: ${plan.reason})`, () =>
          registerSuite('postgres', memory, fn));
        return;
      case 'fail':
        describe(`${name} [postgres]`, () => {
          it('PostgreSQL is reachable', failUnreachable(plan.reason));
        });
        return;
    }
  };
}
