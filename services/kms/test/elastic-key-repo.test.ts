// The elastic-key store against SQLite and PostgreSQL: CRUD, list filters/sort/paging, the
// status machine under a race, tenant isolation and per-tenant name uniqueness.
import { runMigrations, type Database } from '@cryptoutil/db';
import { describeEachDialect } from '@cryptoutil/db/testing';
import { beforeAll, expect, it } from 'vitest';
import {
  createElasticKeyRepo,
  isKmsError,
  kmsMigrations,
  type ElasticKey,
  type ElasticKeyRepo,
  type ElasticKeyTables,
  type NewElasticKey,
} from '../src/index.js';

const T1 = 'tenant-one';
const T2 = 'tenant-two';

function newKey(name: string, over: Partial<NewElasticKey> = {}): NewElasticKey {
  return {
    tenantId: T1,
    name,
    algorithm: 'A256GCM/dir',
    versioningAllowed: true,
    importAllowed: false,
    ...over,
  };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describeEachDialect('elastic key repo', (ctx) => {
  let database: Database<ElasticKeyTables>;
  let repo: ElasticKeyRepo;
  let clock = 1_700_000_000_000;

  beforeAll(async () => {
    database = await ctx.createDatabase<ElasticKeyTables>();
    expect((await runMigrations(database, kmsMigrations)).applied).toEqual([2001, 2002]);
    repo = createElasticKeyRepo(database, { now: () => (clock += 1000) });
  });

  it('creates and gets a key with defaults', async () => {
    const key = await repo.create(newKey('create-get', { description: 'demo' }));
    expect(key.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(key).toEqual({
      id: key.id,
      tenantId: T1,
      name: 'create-get',
      description: 'demo',
      algorithm: 'A256GCM/dir',
      provider: 'Internal',
      versioningAllowed: true,
      importAllowed: false,
      status: 'creating',
      createdAt: key.createdAt,
      updatedAt: key.createdAt,
    });
    expect(await repo.get(T1, key.id)).toEqual(key);
    const other = await repo.create(
      newKey('create-nodesc', { importAllowed: true, status: 'pending_import' }),
    );
    expect(await repo.get(T1, other.id)).toMatchObject({
      description: '',
      importAllowed: true,
      status: 'pending_import',
    });
    expect(await repo.get(T1, '00000000-0000-7000-8000-000000000000')).toBeUndefined();
  });

  it('refuses a duplicate name per tenant but allows it across tenants', async () => {
    await repo.create(newKey('dup'));
    const err = await rejection(repo.create(newKey('dup', { algorithm: 'ES256' })));
    expect(isKmsError(err, 'name-taken')).toBe(true);
    const t2 = await repo.create(newKey('dup', { tenantId: T2 }));
    expect(t2.tenantId).toBe(T2);
    expect((await repo.list(T1, { names: ['dup'] })).items).toHaveLength(1);
  });

  it('updates name and description, refuses renames onto a taken name', async () => {
    const key = await repo.create(newKey('before'));
    const renamed = await repo.update(T1, key.id, { name: 'after' });
    expect(renamed).toMatchObject({ name: 'after', description: '', createdAt: key.createdAt });
    expect(renamed?.updatedAt).toBeGreaterThan(key.updatedAt);
    expect(await repo.update(T1, key.id, { description: 'now described' })).toMatchObject({
      name: 'after',
      description: 'now described',
    });
    await repo.create(newKey('taken'));
    const err = await rejection(repo.update(T1, key.id, { name: 'taken' }));
    expect(isKmsError(err, 'name-taken')).toBe(true);
    expect((await repo.get(T1, key.id))?.name).toBe('after');
  });

  it('walks the status machine and refuses invalid transitions unchanged', async () => {
    const key = await repo.create(newKey('lifecycle'));
    const steps = [
      ['await-generate', 'pending_generate'],
      ['generated', 'active'],
      ['disable', 'disabled'],
      ['delete', 'pending_delete_was_disabled'],
      ['cancel-delete', 'disabled'],
      ['enable', 'active'],
      ['delete', 'pending_delete_was_active'],
      ['purge', 'deleted'],
    ] as const;
    for (const [event, status] of steps) {
      expect((await repo.setStatus(T1, key.id, event))?.status).toBe(status);
    }
    const err = await rejection(repo.setStatus(T1, key.id, 'enable'));
    expect(isKmsError(err, 'invalid-transition')).toBe(true);
    expect((await repo.get(T1, key.id))?.status).toBe('deleted');
    expect(
      await repo.setStatus(T1, '00000000-0000-7000-8000-000000000000', 'enable'),
    ).toBeUndefined();
  });

  it('lets exactly one of two racing transitions from the same state win', async () => {
    const key = await repo.create(newKey('race', { status: 'active' }));
    const results = await Promise.allSettled([
      repo.setStatus(T1, key.id, 'disable'),
      repo.setStatus(T1, key.id, 'disable'),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(isKmsError(lost[0]?.reason, 'invalid-transition')).toBe(true);
    const winner = (won[0] as PromiseFulfilledResult<ElasticKey>).value;
    expect(winner.status).toBe('disabled');
    expect((await repo.get(T1, key.id))?.status).toBe('disabled');
  });

  // Deterministic version of the race on PostgreSQL: another transaction changes the row after
  // setStatus read it; the guarded UPDATE (WHERE status = the status read) then touches nothing.
  it.runIf(ctx.dialect === 'postgres')(
    'refuses a transition computed from a stale status',
    async () => {
      const key = await repo.create(newKey('stale', { status: 'active' }));
      let reached!: () => void;
      const aboutToWrite = new Promise<void>((resolve) => (reached = resolve));
      const racing = createElasticKeyRepo(database, {
        now: () => {
          reached();
          return 1;
        },
      });
      let outcome: Promise<unknown> | undefined;
      await database.kysely.transaction().execute(async (trx) => {
        await trx
          .updateTable('elastic_keys')
          .set({ status: 'pending_delete_was_active' })
          .where('id', '=', key.id)
          .execute();
        outcome = racing.setStatus(T1, key.id, 'disable').then(
          () => 'applied',
          (err: unknown) => err,
        );
        await aboutToWrite;
      });
      const err = await outcome;
      expect(isKmsError(err, 'invalid-transition')).toBe(true);
      expect((err as Error).message).toBe('the elastic key changed status meanwhile');
      expect((await repo.get(T1, key.id))?.status).toBe('pending_delete_was_active');
    },
  );

  it('passes other constraint errors through unchanged', async () => {
    const err = await rejection(repo.create(newKey(null as unknown as string)));
    expect(isKmsError(err)).toBe(false);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toMatch(/NOT NULL|null value/i);
  });

  it('isolates tenants: another tenant sees not found and empty lists', async () => {
    const key = await repo.create(newKey('private', { tenantId: T2, status: 'active' }));
    expect(await repo.get(T1, key.id)).toBeUndefined();
    expect(await repo.update(T1, key.id, { name: 'stolen' })).toBeUndefined();
    expect(await repo.setStatus(T1, key.id, 'disable')).toBeUndefined();
    expect((await repo.list(T1, { ids: [key.id] })).items).toEqual([]);
    expect((await repo.list('tenant-none')).items).toEqual([]);
    expect(await repo.get(T2, key.id)).toEqual(key);
  });
});

describeEachDialect('elastic key repo list', (ctx) => {
  let repo: ElasticKeyRepo;
  const keys: ElasticKey[] = [];

  beforeAll(async () => {
    const database = await ctx.createDatabase<ElasticKeyTables>();
    await runMigrations(database, kmsMigrations);
    let clock = 1_700_000_000_000;
    repo = createElasticKeyRepo(database, { now: () => (clock += 1000) });
    const specs = [
      ['delta', 'A256GCM/dir', 'active'],
      ['alpha', 'ES256', 'active'],
      ['charlie', 'A256GCM/dir', 'disabled'],
      ['bravo', 'HS256', 'pending_generate'],
      ['echo', 'ES256', 'disabled'],
    ] as const;
    for (const [name, algorithm, status] of specs) {
      keys.push(await repo.create(newKey(name, { algorithm, status })));
    }
    await repo.create(newKey('foreign', { tenantId: T2, status: 'active' }));
  });

  const names = (page: { items: readonly ElasticKey[] }): string[] => page.items.map((k) => k.name);

  it('sorts by created_at (default) and name, both directions', async () => {
    expect(names(await repo.list(T1))).toEqual(['delta', 'alpha', 'charlie', 'bravo', 'echo']);
    expect(names(await repo.list(T1, { order: 'desc' }))).toEqual([
      'echo',
      'bravo',
      'charlie',
      'alpha',
      'delta',
    ]);
    expect(names(await repo.list(T1, { sort: 'name' }))).toEqual([
      'alpha',
      'bravo',
      'charlie',
      'delta',
      'echo',
    ]);
    expect(names(await repo.list(T1, { sort: 'name', order: 'desc' }))).toEqual([
      'echo',
      'delta',
      'charlie',
      'bravo',
      'alpha',
    ]);
  });

  it('filters by ids, names, algorithms and statuses (combined with AND)', async () => {
    const ids = [keys[0]?.id ?? '', keys[4]?.id ?? ''];
    expect(names(await repo.list(T1, { ids, sort: 'name' }))).toEqual(['delta', 'echo']);
    expect(names(await repo.list(T1, { names: ['alpha', 'bravo', 'nope'], sort: 'name' }))).toEqual(
      ['alpha', 'bravo'],
    );
    expect(names(await repo.list(T1, { algorithms: ['ES256'], sort: 'name' }))).toEqual([
      'alpha',
      'echo',
    ]);
    expect(names(await repo.list(T1, { statuses: ['disabled'], sort: 'name' }))).toEqual([
      'charlie',
      'echo',
    ]);
    expect(
      names(await repo.list(T1, { algorithms: ['A256GCM/dir'], statuses: ['active'] })),
    ).toEqual(['delta']);
    expect(await repo.list(T1, { statuses: [] })).toEqual({ items: [] });
  });

  it('pages with opaque tokens until the last page', async () => {
    const first = await repo.list(T1, { sort: 'name', pageSize: 2 });
    expect(names(first)).toEqual(['alpha', 'bravo']);
    expect(first.nextPageToken).toEqual(expect.any(String));
    const second = await repo.list(T1, {
      sort: 'name',
      pageSize: 2,
      pageToken: first.nextPageToken ?? '',
    });
    expect(names(second)).toEqual(['charlie', 'delta']);
    const third = await repo.list(T1, {
      sort: 'name',
      pageSize: 2,
      pageToken: second.nextPageToken ?? '',
    });
    expect(third).toEqual({ items: [keys[4]] });
    expect((await repo.list(T1, { pageSize: 5 })).nextPageToken).toBeUndefined();
  });

  it('refuses a forged page token and an out-of-range page size', async () => {
    const err = await rejection(repo.list(T1, { pageToken: 'forged' }));
    expect(isKmsError(err, 'invalid-page-token')).toBe(true);
    await expect(repo.list(T1, { pageSize: 0 })).rejects.toThrow(TypeError);
    await expect(repo.list(T1, { pageSize: 1001 })).rejects.toThrow(
      'pageSize must be an integer in 1..1000',
    );
    await expect(repo.list(T1, { pageSize: 1.5 })).rejects.toThrow(TypeError);
  });
});
