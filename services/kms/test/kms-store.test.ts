// Material keys and the unit of work against SQLite and PostgreSQL: newest-first listing and
// primary, tenant and elastic-key scoping of kids, revocation, and a failed unit of work
// leaving no row behind.
import { runMigrations, type Database } from '@cryptoutil/db';
import { describeEachDialect } from '@cryptoutil/db/testing';
import { beforeAll, expect, it } from 'vitest';
import { createKmsStore, isKmsError, kmsMigrations, type KmsStore } from '../src/index.js';

const T = 'tenant-store';

describeEachDialect('kms store', (ctx) => {
  let database: Database<unknown>;
  let store: KmsStore;
  let clock = 1_700_000_000_000;
  let ids = 0;
  const id = () => `01900000-0000-7000-8000-${String((ids += 1)).padStart(12, '0')}`;

  beforeAll(async () => {
    database = await ctx.createDatabase<unknown>();
    await runMigrations(database, kmsMigrations);
    store = createKmsStore(database, { now: () => (clock += 1000), newId: id });
  });

  const newKey = (name: string) =>
    store.elasticKeys.create({
      tenantId: T,
      name,
      algorithm: 'ES256',
      versioningAllowed: true,
      importAllowed: false,
      status: 'active',
    });
  const version = (elasticKeyId: string, kid = id()) => ({
    id: kid,
    tenantId: T,
    elasticKeyId,
    origin: 'generated' as const,
    publicJwk: { kty: 'EC', kid },
    privateJwe: `sealed-${kid}`,
  });

  it('lists newest first, pages, and picks the newest active version as primary', async () => {
    const key = await newKey('store-versions');
    const v1 = await store.materialKeys.insert(version(key.id));
    const v2 = await store.materialKeys.insert(version(key.id));
    const v3 = await store.materialKeys.insert(version(key.id));
    expect(v1).toEqual({
      id: v1.id,
      tenantId: T,
      elasticKeyId: key.id,
      origin: 'generated',
      status: 'active',
      publicJwk: { kty: 'EC', kid: v1.id },
      createdAt: expect.any(Number),
    });
    const page = await store.materialKeys.list(T, key.id, { pageSize: 2 });
    expect(page.items.map((v) => v.id)).toEqual([v3.id, v2.id]);
    const rest = await store.materialKeys.list(T, key.id, {
      pageSize: 2,
      pageToken: page.nextPageToken,
    });
    expect(rest).toEqual({ items: [expect.objectContaining({ id: v1.id })] });
    expect((await store.materialKeys.primary(T, key.id))?.id).toBe(v3.id);
    await store.materialKeys.revoke(T, key.id, v3.id);
    expect((await store.materialKeys.primary(T, key.id))?.privateJwe).toBe(`sealed-${v2.id}`);
    expect(await store.materialKeys.count(T, key.id)).toBe(3);
  });

  it('scopes kids to their tenant and elastic key', async () => {
    const a = await newKey('store-scope-a');
    const b = await newKey('store-scope-b');
    const v = await store.materialKeys.insert(version(a.id));
    expect(await store.materialKeys.get(T, b.id, v.id)).toBeUndefined();
    expect(await store.materialKeys.get('other', a.id, v.id)).toBeUndefined();
    expect(await store.materialKeys.revoke(T, b.id, v.id)).toBeUndefined();
    expect(await store.materialKeys.primary(T, b.id)).toBeUndefined();
  });

  it('revokes once; a second revoke is an invalid transition', async () => {
    const key = await newKey('store-revoke');
    const v = await store.materialKeys.insert(version(key.id));
    const revoked = await store.materialKeys.revoke(T, key.id, v.id);
    expect(revoked).toMatchObject({ status: 'revoked', revokedAt: expect.any(Number) });
    expect(revoked).not.toHaveProperty('privateJwe');
    const again = await store.materialKeys.revoke(T, key.id, v.id).catch((e: unknown) => e);
    expect(isKmsError(again, 'invalid-transition')).toBe(true);
  });

  it('rolls a failed unit of work back whole', async () => {
    const kid = id();
    const failed = await store
      .transaction(async (tx) => {
        const key = await tx.elasticKeys.create({
          tenantId: T,
          name: 'store-rollback',
          algorithm: 'ES256',
          versioningAllowed: true,
          importAllowed: false,
        });
        await tx.materialKeys.insert(version(key.id, kid));
        await tx.elasticKeys.setStatus(T, key.id, 'generated');
        throw new Error('boom');
      })
      .catch((e: unknown) => e);
    expect(failed).toEqual(new Error('boom'));
    expect((await store.elasticKeys.list(T, { names: ['store-rollback'] })).items).toEqual([]);
    await expect(
      store.transaction((tx) => tx.transaction(() => Promise.resolve(1))),
    ).rejects.toThrow('KmsStore units of work do not nest');
  });

  it('refuses a version for an elastic key that does not exist', async () => {
    await expect(
      store.materialKeys.insert(version('01900000-0000-7000-8000-ffffffffffff')),
    ).rejects.toThrow();
  });
});
