// Elastic keys and their versions through the real HTTPS API: create, list with filters, sort
// and paging, rename, the status machine (409 on a refused step), soft delete and purge, BYOK
// import, versioning rules, revocation, and no private part ever in an answer.
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKms, type KmsHarness } from './support/kms-harness.js';

let kms: KmsHarness;
beforeAll(async () => {
  kms = await startKms();
});
afterAll(() => kms.service.shutdown('test done'));

interface Key {
  id: string;
  name: string;
  status: string;
  algorithm: string;
  description: string;
}
const create = async (body: Record<string, unknown>, as = 'alice') => {
  const res = await kms.call('POST', '/elastic-keys', { json: body, as });
  return { res, key: res.json<Key>() };
};

describe('elastic keys', () => {
  it('creates an active key with its first version, and gets it back', async () => {
    const { res, key } = await create({
      name: 'life-create',
      algorithm: 'A256GCM/dir',
      description: 'd',
    });
    expect(res.status).toBe(201);
    expect(key).toMatchObject({
      name: 'life-create',
      description: 'd',
      algorithm: 'A256GCM/dir',
      provider: 'Internal',
      versioningAllowed: true,
      importAllowed: false,
      status: 'active',
    });
    const got = await kms.call('GET', `/elastic-keys/${key.id}`);
    expect(got.json()).toEqual(key);
    const versions = await kms.call('GET', `/elastic-keys/${key.id}/material-keys`);
    expect(versions.json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('refuses a taken name, an invalid name and an unknown algorithm, creating nothing', async () => {
    await create({ name: 'life-dupe', algorithm: 'ES256' });
    const before = (await kms.call('GET', '/elastic-keys?pageSize=1000')).json<{ items: Key[] }>();
    const dupe = await create({ name: 'life-dupe', algorithm: 'ES256' });
    expect(dupe.res.status).toBe(409);
    expect(dupe.res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:name-taken' });
    for (const body of [
      { name: 'bad name!', algorithm: 'ES256' },
      { name: 'x'.repeat(64), algorithm: 'ES256' },
      { name: 'rsa15', algorithm: 'A128GCM/RSA1_5' },
      { name: 'none', algorithm: 'none' },
      { name: 'extra', algorithm: 'ES256', owner: 'me' },
    ]) {
      const bad = await create(body);
      expect(bad.res.status, JSON.stringify(body)).toBe(400);
      expect(bad.res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:validation' });
    }
    const after = (await kms.call('GET', '/elastic-keys?pageSize=1000')).json<{ items: Key[] }>();
    expect(after.items).toEqual(before.items);
  });

  it('lists with filters, sort and opaque page tokens', async () => {
    for (const name of ['page-c', 'page-a', 'page-b']) await create({ name, algorithm: 'HS256' });
    const names = 'page-a,page-b,page-c';
    const first = await kms.call('GET', `/elastic-keys?names=${names}&sort=name&pageSize=2`);
    const page1 = first.json<{ items: Key[]; nextPageToken: string }>();
    expect(page1.items.map((k) => k.name)).toEqual(['page-a', 'page-b']);
    const second = await kms.call(
      'GET',
      `/elastic-keys?names=${names}&sort=name&pageSize=2&pageToken=${page1.nextPageToken}`,
    );
    expect(second.json()).toEqual({ items: [expect.objectContaining({ name: 'page-c' })] });
    const desc = await kms.call('GET', `/elastic-keys?names=${names}&sort=name&order=desc`);
    expect(desc.json<{ items: Key[] }>().items.map((k) => k.name)).toEqual([
      'page-c',
      'page-b',
      'page-a',
    ]);
    const byAlg = await kms.call('GET', '/elastic-keys?algorithms=HS256&statuses=active');
    expect(byAlg.json<{ items: Key[] }>().items.every((k) => k.algorithm === 'HS256')).toBe(true);
    const bad = await kms.call('GET', '/elastic-keys?pageToken=not-a-token');
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ type: 'urn:cryptoutil:problem:invalid-page-token' });
    expect((await kms.call('GET', '/elastic-keys?statuses=bogus')).status).toBe(400);
  });

  it('renames and redescribes; refuses an empty patch', async () => {
    const { key } = await create({ name: 'life-rename', algorithm: 'ES384' });
    const patched = await kms.call('PATCH', `/elastic-keys/${key.id}`, {
      json: { name: 'life-renamed', description: 'new' },
    });
    expect(patched.json()).toMatchObject({ name: 'life-renamed', description: 'new' });
    expect((await kms.call('PATCH', `/elastic-keys/${key.id}`, { json: {} })).status).toBe(400);
  });

  it('walks the status machine and answers 409 on a refused step', async () => {
    const { key } = await create({ name: 'life-status', algorithm: 'A128GCM/A128KW' });
    const step = (action: string, as = 'alice') =>
      kms.call('POST', `/elastic-keys/${key.id}/${action}`, { json: {}, as });
    expect((await step('disable')).json()).toMatchObject({ status: 'disabled' });
    const encrypt = await kms.call('POST', `/elastic-keys/${key.id}/encrypt`, { text: 'x' });
    expect(encrypt.status).toBe(409);
    expect(encrypt.json()).toMatchObject({ type: 'urn:cryptoutil:problem:key-not-active' });
    expect((await step('enable')).json()).toMatchObject({ status: 'active' });
    const refused = await step('cancel-delete');
    expect(refused.status).toBe(409);
    expect(refused.json()).toMatchObject({ type: 'urn:cryptoutil:problem:invalid-transition' });
    const deleted = await kms.call('DELETE', `/elastic-keys/${key.id}`);
    expect(deleted.json()).toMatchObject({ status: 'pending_delete_was_active' });
    expect((await step('cancel-delete')).json()).toMatchObject({ status: 'active' });
    await kms.call('DELETE', `/elastic-keys/${key.id}`);
    const notAdmin = await step('purge', 'reader');
    expect(notAdmin.status).toBe(403);
    expect((await step('purge')).json()).toMatchObject({ status: 'deleted' });
    expect((await step('enable')).status).toBe(409);
  });
});

describe('material keys', () => {
  it('rotates: the newest version is primary, old versions stay listed, revoke is final', async () => {
    const { key } = await create({ name: 'mat-rotate', algorithm: 'ES256' });
    const v2 = await kms.call('POST', `/elastic-keys/${key.id}/material-keys`, { json: {} });
    expect(v2.status).toBe(201);
    const v2kid = v2.json<{ kid: string }>().kid;
    const list = (await kms.call('GET', `/elastic-keys/${key.id}/material-keys`)).json<{
      items: { kid: string; status: string; publicJwk: Record<string, string> }[];
    }>();
    expect(list.items.map((m) => m.kid)[0]).toBe(v2kid);
    expect(list.items).toHaveLength(2);
    for (const m of list.items) {
      expect(Object.keys(m.publicJwk).sort()).toEqual([
        'alg',
        'crv',
        'kid',
        'kty',
        'use',
        'x',
        'y',
      ]);
    }
    const jws = await kms.call('POST', `/elastic-keys/${key.id}/sign`, { text: 'v2' });
    expect(JSON.parse(Buffer.from(jws.text.split('.')[0] ?? '', 'base64url').toString())).toEqual({
      alg: 'ES256',
      kid: v2kid,
    });
    const revoke = await kms.call('POST', `/elastic-keys/${key.id}/material-keys/${v2kid}/revoke`, {
      json: {},
    });
    expect(revoke.json()).toMatchObject({ kid: v2kid, status: 'revoked' });
    const again = await kms.call('POST', `/elastic-keys/${key.id}/material-keys/${v2kid}/revoke`, {
      json: {},
    });
    expect(again.status).toBe(409);
    const verify = await kms.call('POST', `/elastic-keys/${key.id}/verify`, { text: jws.text });
    expect(verify.status).toBe(400);
    expect(verify.json()).toMatchObject({ type: 'urn:cryptoutil:problem:signature-invalid' });
    const get = await kms.call('GET', `/elastic-keys/${key.id}/material-keys/${v2kid}`);
    expect(get.json()).toMatchObject({
      kid: v2kid,
      status: 'revoked',
      revokedAt: expect.any(String),
    });
  });

  it('answers 409 key-not-active once every version is revoked', async () => {
    const { key } = await create({ name: 'mat-all-revoked', algorithm: 'A128GCM/dir' });
    const [only] = (await kms.call('GET', `/elastic-keys/${key.id}/material-keys`)).json<{
      items: { kid: string }[];
    }>().items;
    await kms.call('POST', `/elastic-keys/${key.id}/material-keys/${only?.kid}/revoke`, {
      json: {},
    });
    const res = await kms.call('POST', `/elastic-keys/${key.id}/encrypt`, { text: 'x' });
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({
      type: 'urn:cryptoutil:problem:key-not-active',
      detail: 'the elastic key has no active version',
    });
  });

  it('never shows a symmetric key, and keeps one version when versioning is off', async () => {
    const { key } = await create({
      name: 'mat-single',
      algorithm: 'HS512',
      versioningAllowed: false,
    });
    const list = (await kms.call('GET', `/elastic-keys/${key.id}/material-keys`)).json<{
      items: Record<string, unknown>[];
    }>();
    expect(list.items[0]).not.toHaveProperty('publicJwk');
    expect(JSON.stringify(list)).not.toMatch(/"k"/);
    const second = await kms.call('POST', `/elastic-keys/${key.id}/material-keys`, { json: {} });
    expect(second.status).toBe(409);
    expect(second.json()).toMatchObject({ type: 'urn:cryptoutil:problem:operation-not-allowed' });
  });

  it('imports a BYOK key: pending_import until then, then usable; refuses bad material', async () => {
    const { key } = await create({ name: 'mat-byok', algorithm: 'ES384', importAllowed: true });
    expect(key.status).toBe('pending_import');
    const early = await kms.call('POST', `/elastic-keys/${key.id}/sign`, { text: 'x' });
    expect(early.status).toBe(409);
    const generate = await kms.call('POST', `/elastic-keys/${key.id}/material-keys`, { json: {} });
    expect(generate.status).toBe(409);
    const wrongCurve = await exportJWK(
      (await generateKeyPair('ES256', { extractable: true })).privateKey,
    );
    const bad = await kms.call('POST', `/elastic-keys/${key.id}/material-keys/import`, {
      json: { jwk: wrongCurve },
    });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ type: 'urn:cryptoutil:problem:invalid-key-material' });
    expect(bad.text).not.toContain(String(wrongCurve.d));
    const pair = await generateKeyPair('ES384', { extractable: true });
    const jwk = await exportJWK(pair.privateKey);
    const imported = await kms.call('POST', `/elastic-keys/${key.id}/material-keys/import`, {
      json: { jwk: { ...jwk, kid: 'mine' } },
    });
    expect(imported.status).toBe(201);
    const version = imported.json<{ kid: string; origin: string; publicJwk: { x: string } }>();
    expect(version).toMatchObject({ origin: 'imported', publicJwk: { x: jwk.x } });
    expect(version.kid).not.toBe('mine');
    expect(imported.text).not.toContain(String(jwk.d));
    const now = await kms.call('GET', `/elastic-keys/${key.id}`);
    expect(now.json()).toMatchObject({ status: 'active' });
    expect((await kms.call('POST', `/elastic-keys/${key.id}/sign`, { text: 'x' })).status).toBe(
      200,
    );
  });

  it('refuses import on a key that does not allow it', async () => {
    const { key } = await create({ name: 'mat-noimport', algorithm: 'ES256' });
    const jwk = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
    const res = await kms.call('POST', `/elastic-keys/${key.id}/material-keys/import`, {
      json: { jwk },
    });
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:operation-not-allowed' });
  });

  it('answers 404 for unknown keys and versions, 400 for ids that are not UUIDs', async () => {
    const unknown = '01900000-0000-7000-8000-000000000000';
    expect((await kms.call('GET', `/elastic-keys/${unknown}`)).status).toBe(404);
    expect((await kms.call('GET', `/elastic-keys/${unknown}/material-keys`)).status).toBe(404);
    const { key } = await create({ name: 'mat-404', algorithm: 'ES256' });
    expect((await kms.call('GET', `/elastic-keys/${key.id}/material-keys/${unknown}`)).status).toBe(
      404,
    );
    expect((await kms.call('GET', '/elastic-keys/not-a-uuid')).status).toBe(400);
  });
});
