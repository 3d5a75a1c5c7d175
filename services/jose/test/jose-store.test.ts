// The JOSE store against SQLite and PostgreSQL (ARCHITECTURE §3): sets and versions scoped to
// their tenant, rotation's compare-and-set, cascading delete, kid lookup, retirement, the
// cross-tenant published and due queries, and the audit log (batched inserts beyond a dialect's
// bound-parameter limit, filters, pages, retention). Then scheduled rotation: two instances on
// one database rotate a due set exactly once per period, by the key-sets service with an
// injected clock on both dialects, and by two running services on PostgreSQL.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  barrierMigrations,
  createBarrier,
  createDevUnsealSource,
  createKyselyBarrierStore,
  type BarrierTables,
} from '@cryptoutil/barrier';
import { createUuidV7Generator, runMigrations, uuidv7, type Database } from '@cryptoutil/db';
import { describeEachDialect, type DialectContext } from '@cryptoutil/db/testing';
import { waitFor } from '@cryptoutil/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditRecord } from '../src/domain/audit.js';
import type { KeySet, SealedKeyVersion } from '../src/domain/key-set.js';
import {
  createJoseStore,
  isJoseError,
  joseMigrations,
  type JoseStore,
  type JoseTables,
} from '../src/index.js';
import { createAuditLog, type AuditLog } from '../src/service/audit-log.js';
import { createKeyRing } from '../src/service/key-ring.js';
import { createKeySets, type KeySets } from '../src/service/key-sets.js';
import { createKeyVault } from '../src/service/key-vault.js';
import { startJose, type JoseHarness } from './support/jose-harness.js';

const T = 'tenant-store';
const OTHER = 'tenant-other';
const T0 = 1_700_000_000_000;
const MINUTE = 60_000;

/** A store on a database of its own, for the queries that read across tenants. */
async function freshStore(ctx: DialectContext): Promise<JoseStore> {
  const db = await ctx.createDatabase<unknown>();
  await runMigrations(db, joseMigrations);
  return createJoseStore(db);
}

let made = 0;
function keySet(overrides: Partial<KeySet> = {}): KeySet {
  made += 1;
  const id = uuidv7();
  return {
    id,
    tenantId: T,
    name: `set-${made}`,
    description: '',
    spec: { use: 'sig', alg: 'ES256', shape: { kty: 'EC', crv: 'P-256' } },
    kidFormat: 'uuid',
    maxVersions: 3,
    publish: false,
    currentVersion: 1,
    currentKid: `kid-${id}-1`,
    createdAt: T0 + made,
    updatedAt: T0 + made,
    rotatedAt: T0 + made,
    ...overrides,
  };
}
function version(
  set: KeySet,
  v: number,
  overrides: Partial<SealedKeyVersion> = {},
): SealedKeyVersion {
  const kid = `kid-${set.id}-${v}`;
  return {
    setId: set.id,
    tenantId: set.tenantId,
    version: v,
    kid,
    status: 'active',
    ...(set.spec.shape.kty === 'oct'
      ? {}
      : { publicJwk: { kty: 'EC', crv: 'P-256', x: `x${v}`, kid } }),
    createdAt: set.createdAt + v,
    privateJwe: `sealed-${kid}`,
    ...overrides,
  };
}
/** Inserts the set with `versions` versions (1..n), the newest current. */
async function seed(store: JoseStore, set: KeySet, versions = 1): Promise<KeySet> {
  const current = { ...set, currentVersion: versions, currentKid: `kid-${set.id}-${versions}` };
  await store.sets.insert(current);
  for (let v = 1; v <= versions; v += 1) await store.versions.insert(version(current, v));
  return current;
}
/** What `promise` rejected with (undefined when it resolved). */
const failure = (promise: Promise<unknown>) =>
  promise.then(() => undefined).catch((e: unknown) => e);

describeEachDialect('jose store', (ctx) => {
  let store: JoseStore;
  beforeAll(async () => {
    store = await freshStore(ctx);
  });

  it('reads every kind of set back exactly, only in its tenant; names are unique per tenant', async () => {
    const sets = [
      keySet({ spec: { use: 'sig', alg: 'PS384', shape: { kty: 'RSA', size: 3072 } } }),
      keySet({ spec: { use: 'sig', alg: 'EdDSA', shape: { kty: 'OKP', crv: 'Ed25519' } } }),
      keySet({
        spec: { use: 'enc', alg: 'dir', enc: 'A128CBC-HS256', shape: { kty: 'oct', size: 256 } },
        kidFormat: 'uuid',
        rotationPeriodSeconds: 3600,
        maxVersions: 7,
        description: 'd',
      }),
      keySet({ kidFormat: 'thumbprint-uri', publish: true }),
    ];
    for (const set of sets) {
      await store.sets.insert(set);
      expect(await store.sets.get(T, set.id)).toEqual(set);
      expect(await store.sets.get(OTHER, set.id)).toBeUndefined();
    }
    const taken = await failure(store.sets.insert(keySet({ name: (sets[0] as KeySet).name })));
    expect(isJoseError(taken, 'name-taken')).toBe(true);
    const elsewhere = keySet({ name: (sets[0] as KeySet).name, tenantId: OTHER });
    await store.sets.insert(elsewhere);
    expect(await store.sets.get(OTHER, elsewhere.id)).toEqual(elsewhere);
  });

  it('lists a tenant newest first in pages and refuses a foreign page token', async () => {
    const tenant = 'tenant-pages';
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const set = keySet({ tenantId: tenant });
      await store.sets.insert(set);
      ids.unshift(set.id);
    }
    const first = await store.sets.list(tenant, { pageSize: 2 });
    const second = await store.sets.list(tenant, { pageSize: 2, pageToken: first.nextPageToken });
    const third = await store.sets.list(tenant, { pageSize: 2, pageToken: second.nextPageToken });
    expect([first, second, third].map((p) => p.items.map((s) => s.id))).toEqual([
      ids.slice(0, 2),
      ids.slice(2, 4),
      ids.slice(4),
    ]);
    expect(third.nextPageToken).toBeUndefined();
    expect((await store.sets.list(tenant, {})).items.map((s) => s.id)).toEqual(ids);
    expect(await store.sets.list('tenant-none', {})).toEqual({ items: [] });
    const bad = await failure(store.sets.list(tenant, { pageToken: 'bm9wZQ' }));
    expect(isJoseError(bad, 'invalid-page-token')).toBe(true);
  });

  it('updates description, maxVersions, publish and the rotation period', async () => {
    const set = await seed(store, keySet());
    const patched = await store.sets.update(
      set,
      { description: 'new', maxVersions: 9, publish: true, rotationPeriodSeconds: 120 },
      T0 + 5000,
    );
    const expected = {
      ...set,
      description: 'new',
      maxVersions: 9,
      publish: true,
      rotationPeriodSeconds: 120,
      updatedAt: T0 + 5000,
    };
    expect(patched).toEqual(expected);
    expect(await store.sets.get(T, set.id)).toEqual(expected);
    const cleared = await store.sets.update(patched, { rotationPeriodSeconds: null }, T0 + 6000);
    expect(cleared).not.toHaveProperty('rotationPeriodSeconds');
    expect(await store.sets.get(T, set.id)).toEqual(cleared);
  });

  it('advances the current version by compare-and-set: the second advance from a version loses', async () => {
    const set = await seed(store, keySet({ rotationPeriodSeconds: 60 }));
    expect(await store.sets.advance(set, 1, 2, 'kid-two', T0 + MINUTE)).toBe(true);
    const moved = {
      ...set,
      currentVersion: 2,
      currentKid: 'kid-two',
      rotatedAt: T0 + MINUTE,
      updatedAt: T0 + MINUTE,
    };
    expect(await store.sets.get(T, set.id)).toEqual(moved);
    expect(await store.sets.advance(set, 1, 2, 'kid-other', T0 + 2 * MINUTE)).toBe(false);
    expect(await store.sets.advance({ ...set, tenantId: OTHER }, 2, 3, 'kid-x', T0)).toBe(false);
    expect(await store.sets.get(T, set.id)).toEqual(moved);
  });

  it('deletes a set with all its versions, only in its tenant', async () => {
    const set = await seed(store, keySet(), 3);
    expect(await store.sets.delete(OTHER, set.id)).toBe(false);
    expect(await store.versions.list(T, set.id)).toHaveLength(3);
    expect(await store.sets.delete(T, set.id)).toBe(true);
    expect(await store.sets.get(T, set.id)).toBeUndefined();
    expect(await store.versions.list(T, set.id)).toEqual([]);
    expect(await store.versions.byKid(T, `kid-${set.id}-1`)).toBeUndefined();
    expect(await store.sets.delete(T, set.id)).toBe(false);
  });

  it('finds a version by kid within its tenant; a kid is unique per tenant', async () => {
    const set = await seed(store, keySet(), 2);
    const v1 = version(set, 1);
    expect(await store.versions.byKid(T, v1.kid)).toEqual({ set, version: v1 });
    expect(await store.versions.get(T, set.id, 1)).toEqual(v1);
    expect(await store.versions.list(T, set.id)).toEqual([version(set, 2), v1]);
    expect(await store.versions.byKid(OTHER, v1.kid)).toBeUndefined();
    expect(await store.versions.get(OTHER, set.id, 1)).toBeUndefined();
    const another = await seed(store, keySet());
    const reused = await failure(store.versions.insert(version(another, 2, { kid: v1.kid })));
    expect(isJoseError(reused, 'kid-taken')).toBe(true);
    const foreign = await seed(store, keySet({ tenantId: OTHER }));
    await store.versions.insert(version(foreign, 2, { kid: v1.kid }));
    expect((await store.versions.byKid(OTHER, v1.kid))?.set.id).toBe(foreign.id);
  });

  it('retires one version, and the active versions beyond a count, oldest first', async () => {
    const set = await seed(store, keySet(), 4);
    await store.versions.retire(T, set.id, 2, T0 + 100);
    await store.versions.retire(T, set.id, 2, T0 + 200);
    await store.versions.retire(OTHER, set.id, 3, T0 + 200);
    expect(await store.versions.get(T, set.id, 2)).toEqual({
      ...version(set, 2),
      status: 'retired',
      retiredAt: T0 + 100,
    });
    expect(await store.versions.retireBeyond(T, set.id, 1, T0 + 300)).toEqual([3, 1]);
    expect(await store.versions.retireBeyond(T, set.id, 1, T0 + 400)).toEqual([]);
    const states = (await store.versions.list(T, set.id)).map((v) => [
      v.version,
      v.status,
      v.retiredAt,
    ]);
    expect(states).toEqual([
      [4, 'active', undefined],
      [3, 'retired', T0 + 300],
      [2, 'retired', T0 + 100],
      [1, 'retired', T0 + 300],
    ]);
  });

  it('rolls a failed unit of work back whole; units do not nest', async () => {
    const set = keySet();
    const err = await failure(
      store.transaction(async (unit) => {
        await unit.sets.insert(set);
        await unit.versions.insert(version(set, 1));
        throw new Error('boom');
      }),
    );
    expect(err).toEqual(new Error('boom'));
    expect(await store.sets.get(T, set.id)).toBeUndefined();
    await expect(
      store.transaction((unit) => unit.transaction(() => Promise.resolve(1))),
    ).rejects.toThrow(new TypeError('JoseStore units of work do not nest'));
  });
});

describeEachDialect('jose store: cross-tenant reads and the audit log', (ctx) => {
  it('publishes the active public keys of published sets of every tenant, set by set', async () => {
    const store = await freshStore(ctx);
    const a = await seed(store, keySet({ publish: true, rotationPeriodSeconds: 60 }), 3);
    const hidden = await seed(store, keySet({ publish: false }), 1);
    const oct = await seed(
      store,
      keySet({ spec: { use: 'sig', alg: 'HS256', shape: { kty: 'oct', size: 256 } } }),
      1,
    );
    await store.sets.update(oct, { publish: true }, T0);
    const b = await seed(store, keySet({ tenantId: OTHER, publish: true }), 1);
    await store.versions.retire(T, a.id, 1, T0);
    const key = (set: KeySet, v: number) => ({
      setId: set.id,
      publicJwk: version(set, v).publicJwk,
    });
    const next = { nextRotationAt: a.rotatedAt + MINUTE };
    expect(await store.versions.published()).toEqual([
      { ...key(a, 3), ...next },
      { ...key(a, 2), ...next },
      key(b, 1),
    ]);
    expect(await store.versions.published(b.id)).toEqual([key(b, 1)]);
    expect(await store.versions.published(hidden.id)).toEqual([]);
    expect(await store.versions.published(oct.id)).toEqual([]);
  });

  it('lists the sets due for rotation across tenants, soonest first, up to the limit', async () => {
    const store = await freshStore(ctx);
    const soon = await seed(store, keySet({ rotationPeriodSeconds: 60, rotatedAt: T0 }));
    const later = await seed(
      store,
      keySet({ tenantId: OTHER, rotationPeriodSeconds: 120, rotatedAt: T0 }),
    );
    await seed(store, keySet({ rotatedAt: T0 }));
    const due = (set: KeySet) => ({ tenantId: set.tenantId, id: set.id, currentVersion: 1 });
    expect(await store.sets.due(T0 + MINUTE - 1, 10)).toEqual([]);
    expect(await store.sets.due(T0 + MINUTE, 10)).toEqual([due(soon)]);
    expect(await store.sets.due(T0 + 2 * MINUTE, 10)).toEqual([due(soon), due(later)]);
    expect(await store.sets.due(T0 + 2 * MINUTE, 1)).toEqual([due(soon)]);
    // Rotated late, at 90 s: due again a period after that, at 150 s.
    await store.sets.advance(soon, 1, 2, 'kid-2', T0 + 90_000);
    const rotated = { ...due(soon), currentVersion: 2 };
    expect(await store.sets.due(T0 + 2 * MINUTE, 10)).toEqual([due(later)]);
    expect(await store.sets.due(T0 + 150_000, 10)).toEqual([due(later), rotated]);
    await store.sets.update(later, { rotationPeriodSeconds: null }, T0);
    expect(await store.sets.due(T0 + 10 * MINUTE, 10)).toEqual([rotated]);
  });

  it('writes thousands of audit records in one call, lists them filtered and paged, prunes by age', async () => {
    const store = await freshStore(ctx);
    // 6000 rows, past both databases' bound-parameter limits had they been bound one by one.
    // Ids carry their record's time, as the audit log's do (retention deletes by id).
    let clock = T0;
    const idAt = createUuidV7Generator({ now: () => clock });
    const records: AuditRecord[] = Array.from({ length: 6000 }, (_, i) => ({
      id: ((clock = T0 + i), idAt()),
      tenantId: i % 3 === 0 ? OTHER : T,
      at: T0 + i,
      subject: 'alice',
      method: 'api-key',
      operation: i % 2 === 0 ? 'sign' : 'verify',
      outcome: i % 5 === 0 ? 'failure' : 'success',
      ...(i % 5 === 0 ? { failure: 'signature' } : {}),
      setId: i % 4 === 0 ? 'set-four' : 'set-other',
      version: 1 + (i % 7),
      kid: `kid-${i}`,
      ...(i % 2 === 0 ? { requestId: `req-${i}` } : {}),
    }));
    await store.audit.insert(records);
    const mine = records.filter((r) => r.tenantId === T).reverse();
    const all = await store.audit.list(T, { pageSize: 1000 });
    expect(all.items).toEqual(mine.slice(0, 1000));
    const rest = await store.audit.list(T, { pageSize: 1000, pageToken: all.nextPageToken });
    expect(rest.items).toEqual(mine.slice(1000, 2000));
    const query = {
      setId: 'set-four',
      operation: 'sign',
      outcome: 'failure',
      since: T0 + 100,
      until: T0 + 2000,
    } as const;
    const filtered = mine.filter(
      (r) =>
        r.setId === query.setId &&
        r.operation === query.operation &&
        r.outcome === query.outcome &&
        r.at >= query.since &&
        r.at < query.until,
    );
    expect(filtered.length).toBeGreaterThan(10);
    expect((await store.audit.list(T, { ...query, pageSize: 1000 })).items).toEqual(filtered);
    const bad = await failure(store.audit.list(T, { pageToken: 'nope' }));
    expect(isJoseError(bad, 'invalid-page-token')).toBe(true);
    expect(await store.audit.prune(T0 + 3000)).toBe(3000);
    expect(await store.audit.prune(T0 + 3000)).toBe(0);
    const oldest = await store.audit.list(T, { until: T0 + 3002 });
    expect(oldest).toEqual({ items: [records[3001]] });
    expect(await store.audit.list(OTHER, { until: T0 + 3000 })).toEqual({ items: [] });
  });
});

interface Instance {
  readonly sets: KeySets;
  readonly audit: AuditLog;
}

describeEachDialect('scheduled rotation by two instances (key-sets service)', (ctx) => {
  let clock = T0;
  const instances: Instance[] = [];
  let store: JoseStore;
  const source = createDevUnsealSource();
  const silent = { error: () => undefined, warn: () => undefined };

  async function instance(database: Database<unknown>): Promise<Instance> {
    const own = createJoseStore(database);
    const barrierStore = createKyselyBarrierStore(database as Database<BarrierTables>);
    const barrier = createBarrier({ store: barrierStore, source });
    await barrier.unseal();
    const vault = createKeyVault(barrier, 100);
    const ring = createKeyRing({ store: own, vault, ttlMs: 0, maxEntries: 100 });
    const audit = createAuditLog({
      store: own,
      logger: silent,
      flushMs: 60_000,
      retentionDays: 90,
    });
    return { sets: createKeySets({ store: own, vault, ring, audit, now: () => clock }), audit };
  }

  beforeAll(async () => {
    const url = await ctx.createUrl();
    const first = await ctx.createDatabase<unknown>({ url });
    await runMigrations(first, [...barrierMigrations, ...joseMigrations]);
    store = createJoseStore(first);
    instances.push(await instance(first));
    // PostgreSQL: a second pool on the same database, as a second instance has. SQLite: the
    // same handle (an in-memory database has only one); its driver still interleaves the two
    // services' statements at every await, which is where a lost compare-and-set would show.
    const second = ctx.dialect === 'postgres' ? await ctx.createDatabase<unknown>({ url }) : first;
    instances.push(await instance(second));
  });
  afterAll(() => Promise.all(instances.map((i) => i.audit.close())));

  /** Both instances look for due sets at the same moment; how many rotations each made. */
  async function tick(at: number): Promise<number> {
    clock = at;
    const counts = await Promise.all(instances.map((i) => i.sets.rotateDue()));
    return counts.reduce((a, b) => a + b, 0);
  }
  const actor = { subject: 'alice', method: 'api-key' };
  const versionOf = async (tenantId: string, id: string) =>
    (await store.sets.get(tenantId, id))?.currentVersion;

  it('rotates each due set exactly once per period, however often both instances look', async () => {
    const [a] = instances as [Instance, Instance];
    clock = T0;
    const minutely = await a.sets.create(T, actor, {
      name: 'every-minute',
      use: 'sig',
      alg: 'ES256',
      rotationPeriodSeconds: 60,
    });
    const twoMinutes = await a.sets.create(OTHER, actor, {
      name: 'every-two-minutes',
      use: 'enc',
      alg: 'A256KW',
      rotationPeriodSeconds: 120,
    });
    const never = await a.sets.create(T, actor, { name: 'never', use: 'sig', alg: 'EdDSA' });
    const timeline: Array<[number, number, number, number]> = [];
    for (const seconds of [30, 59, 60, 61, 90, 119, 120, 121, 150, 180, 181, 240]) {
      const rotated = await tick(T0 + seconds * 1000);
      timeline.push([
        seconds,
        rotated,
        (await versionOf(T, minutely.id)) ?? 0,
        (await versionOf(OTHER, twoMinutes.id)) ?? 0,
      ]);
    }
    // [second, rotations in that tick, version of the 60 s set, version of the 120 s set]
    expect(timeline).toEqual([
      [30, 0, 1, 1],
      [59, 0, 1, 1],
      [60, 1, 2, 1],
      [61, 0, 2, 1],
      [90, 0, 2, 1],
      [119, 0, 2, 1],
      [120, 2, 3, 2],
      [121, 0, 3, 2],
      [150, 0, 3, 2],
      [180, 1, 4, 2],
      [181, 0, 4, 2],
      [240, 2, 5, 3],
    ]);
    // Ten periods pass unobserved (both instances were down): one rotation, not ten.
    expect(await tick(T0 + 840_000)).toBe(2);
    expect(await tick(T0 + 841_000)).toBe(0);
    expect(await versionOf(T, never.id)).toBe(1);
    const versions = await store.versions.list(T, minutely.id);
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [6, 'active'],
      [5, 'active'],
      [4, 'active'],
      [3, 'retired'],
      [2, 'retired'],
      [1, 'retired'],
    ]);
    await Promise.all(instances.map((i) => i.audit.flush()));
    const rotations = await store.audit.list(T, { setId: minutely.id, operation: 'rotate' });
    expect(rotations.items.map((r) => [r.version, r.subject, r.method])).toEqual(
      [6, 5, 4, 3, 2].map((v) => [v, 'scheduler', 'system']),
    );
  });

  it('lands two manual rotations racing on two instances as consecutive versions', async () => {
    const [a, b] = instances as [Instance, Instance];
    const set = await a.sets.create(T, actor, { name: 'racing', use: 'sig', alg: 'ES384' });
    const [va, vb] = await Promise.all([
      a.sets.rotate(T, actor, set.id),
      b.sets.rotate(T, actor, set.id),
    ]);
    expect([va.version, vb.version].sort()).toEqual([2, 3]);
    expect(await versionOf(T, set.id)).toBe(3);
  });
});

describeEachDialect('scheduled rotation by two running services', (ctx) => {
  if (ctx.dialect !== 'postgres') {
    // Several instances of one product share a PostgreSQL database (ARCHITECTURE §3); the
    // SQLite half has no second instance to run, and an empty suite would fail.
    it.skip('runs on PostgreSQL only', () => undefined);
    return;
  }
  let a: JoseHarness;
  let b: JoseHarness;
  let db: Database<JoseTables>;

  beforeAll(async () => {
    const url = await ctx.createUrl();
    db = await ctx.createDatabase<JoseTables>({ url });
    const dir = mkdtempSync(join(tmpdir(), 'cu-jose-store-'));
    const secret = join(dir, 'unseal-1');
    writeFileSync(secret, randomBytes(32), { mode: 0o600 });
    const config = {
      database: { url },
      barrier: { mode: 'secrets', files: [secret], threshold: 1 },
      jose: { rotation: { checkIntervalSeconds: 1 }, cache: { ttlMs: 0 } },
    };
    // One after the other on the fresh database: B finds it migrated and opens the same barrier.
    a = await startJose({ config });
    b = await startJose({ config, keys: a.keys });
  });
  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map((s) => s.service.shutdown('test done')));
  });

  const versionsOf = async (id: string) =>
    (await a.call('GET', `/jwks/${id}/versions`)).json<{ items: { kid: string }[] }>().items;
  /** Makes the set due now, as if its period had passed. */
  const makeDue = (id: string) =>
    db.kysely
      .updateTable('jose_key_sets')
      .set({ next_rotation_at: Date.now() - 1 })
      .where('id', '=', id)
      .execute();

  it('rotates a due set once, on one of the two, and not again within the period', async () => {
    const created = await a.call('POST', '/jwks', {
      json: { name: 'scheduled', use: 'sig', alg: 'ES256', rotationPeriodSeconds: 60 },
    });
    expect(created.status, created.text).toBe(201);
    const set = created.json<{ id: string }>();
    for (const expected of [2, 3]) {
      await makeDue(set.id);
      await waitFor(async () => expect(await versionsOf(set.id)).toHaveLength(expected), {
        timeoutMs: 10_000,
      });
      // Both instances look at least twice more: neither rotates again within the period.
      await sleep(2500);
      expect(await versionsOf(set.id)).toHaveLength(expected);
    }
    const audit = await b.call('GET', `/audit?jwks=${set.id}&operation=rotate`);
    expect(audit.json<{ items: unknown[] }>().items).toEqual([
      expect.objectContaining({ version: 3, subject: 'scheduler', method: 'system' }),
      expect.objectContaining({ version: 2, subject: 'scheduler', method: 'system' }),
    ]);
    const kids = (await versionsOf(set.id)).map((v) => v.kid);
    const published = await b.call('GET', '/.well-known/jwks.json', { as: 'nobody', prefix: '' });
    expect(published.json<{ keys: { kid: string }[] }>().keys.map((k) => k.kid)).toEqual(kids);
  });
});
