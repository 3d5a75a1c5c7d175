// Who may do what: tenants see only their own keys (another tenant's key is a 404, never a
// 403), each route needs its scope, the browser chain needs a session, a sealed barrier makes
// every crypto call 503 barrier-sealed and readyz fail; and every route of
// specs/kms.openapi.yaml exists on the live server and demands credentials.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startKms, type KmsHarness } from './support/kms-harness.js';

let kms: KmsHarness;
let aliceKey: string;
beforeAll(async () => {
  kms = await startKms();
  const res = await kms.call('POST', '/elastic-keys', {
    json: { name: 'mine', algorithm: 'A256GCM/dir' },
  });
  aliceKey = res.json<{ id: string }>().id;
});
afterAll(() => kms.service.shutdown('test done'));

describe('tenancy', () => {
  it("hides another tenant's key behind 404 on every route", async () => {
    const jwe = (await kms.call('POST', `/elastic-keys/${aliceKey}/encrypt`, { text: 'x' })).text;
    const attempts: Array<[string, string, { text?: string; json?: unknown }]> = [
      ['GET', '', {}],
      ['PATCH', '', { json: { name: 'stolen' } }],
      ['DELETE', '', {}],
      ['POST', '/disable', { json: {} }],
      ['GET', '/material-keys', {}],
      ['POST', '/material-keys', { json: {} }],
      ['POST', '/encrypt', { text: 'x' }],
      ['POST', '/decrypt', { text: jwe }],
    ];
    for (const [method, suffix, body] of attempts) {
      const res = await kms.call(method, `/elastic-keys/${aliceKey}${suffix}`, {
        ...body,
        as: 'bob',
      });
      expect(res.status, `${method} ${suffix}`).toBe(404);
      expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:not-found' });
    }
    expect((await kms.call('GET', '/elastic-keys', { as: 'bob' })).json()).toEqual({ items: [] });
    const still = await kms.call('GET', `/elastic-keys/${aliceKey}`);
    expect(still.json()).toMatchObject({ name: 'mine', status: 'active' });
    // Same name in another tenant is fine: names are unique per tenant.
    const bobs = await kms.call('POST', '/elastic-keys', {
      json: { name: 'mine', algorithm: 'ES256' },
      as: 'bob',
    });
    expect(bobs.status).toBe(201);
  });
});

describe('scopes and credentials', () => {
  it('needs the scope of each route and a credential at all', async () => {
    const reader = await kms.call('GET', `/elastic-keys/${aliceKey}`, { as: 'reader' });
    expect(reader.status).toBe(200);
    for (const [method, suffix] of [
      ['POST', '/encrypt'],
      ['POST', '/material-keys'],
      ['DELETE', ''],
    ] as const) {
      const res = await kms.call(method, `/elastic-keys/${aliceKey}${suffix}`, {
        as: 'reader',
        ...(method === 'POST' ? { json: {} } : {}),
      });
      expect(res.status).toBe(403);
      expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:insufficient-scope' });
    }
    const anonymous = await kms.call('GET', '/elastic-keys', { as: 'nobody' });
    expect(anonymous.status).toBe(401);
    const forged = await kms.call('GET', '/elastic-keys', { as: 'cu_alice_forged' });
    expect(forged.status).toBe(401);
    const browser = await kms.call('GET', '/elastic-keys', {
      prefix: '/browser/api/v1',
      as: 'nobody',
    });
    expect(browser.status).toBe(401);
  });
});

describe('specs/kms.openapi.yaml', () => {
  const spec = parse(
    readFileSync(join(import.meta.dirname, '..', '..', '..', 'specs', 'kms.openapi.yaml'), 'utf8'),
  ) as { paths: Record<string, Record<string, { security: Array<{ bearer: string[] }> }>> };

  it('lists every operation with its scope', () => {
    const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(
        ([method, o]) => `${method.toUpperCase()} ${path} ${o.security[0]?.bearer.join(',')}`,
      ),
    );
    expect(operations.sort()).toEqual(
      [
        'DELETE /elastic-keys/{id} kms:write',
        'GET /elastic-keys kms:read',
        'GET /elastic-keys/{id} kms:read',
        'GET /elastic-keys/{id}/material-keys kms:read',
        'GET /elastic-keys/{id}/material-keys/{kid} kms:read',
        'PATCH /elastic-keys/{id} kms:write',
        'POST /elastic-keys kms:write',
        'POST /elastic-keys/{id}/cancel-delete kms:write',
        'POST /elastic-keys/{id}/decrypt kms:decrypt',
        'POST /elastic-keys/{id}/disable kms:write',
        'POST /elastic-keys/{id}/enable kms:write',
        'POST /elastic-keys/{id}/encrypt kms:encrypt',
        'POST /elastic-keys/{id}/generate kms:generate',
        'POST /elastic-keys/{id}/material-keys kms:write',
        'POST /elastic-keys/{id}/material-keys/import kms:write',
        'POST /elastic-keys/{id}/material-keys/{kid}/revoke kms:write',
        'POST /elastic-keys/{id}/purge kms:admin',
        'POST /elastic-keys/{id}/sign kms:sign',
        'POST /elastic-keys/{id}/verify kms:verify',
      ].sort(),
    );
  });

  it('matches the live routes: each exists and demands credentials (browser: CSRF first)', async () => {
    const uuid = '01900000-0000-7000-8000-000000000000';
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const method of Object.keys(methods)) {
        const concrete = path.replace('{id}', uuid).replace('{kid}', uuid);
        for (const prefix of ['/service/api/v1', '/browser/api/v1']) {
          const res = await kms.call(method.toUpperCase(), concrete, { as: 'nobody', prefix });
          const csrf = prefix.startsWith('/browser') && method !== 'get';
          expect(res.json(), `${method} ${prefix}${path}`).toMatchObject({
            type: `urn:cryptoutil:problem:${csrf ? 'csrf' : 'unauthenticated'}`,
          });
        }
      }
    }
    expect((await kms.call('GET', '/elastic-keys/x/nothing-here', { as: 'nobody' })).status).toBe(
      404,
    );
  });
});

describe('sealed barrier', () => {
  it('answers 503 barrier-sealed on crypto calls and fails readyz while sealed', async () => {
    const other = await kms.call('POST', '/elastic-keys', {
      json: { name: 'cold', algorithm: 'ES256' },
    });
    const coldId = other.json<{ id: string }>().id;
    const hot = await kms.call('POST', '/elastic-keys', {
      json: { name: 'hot', algorithm: 'A256GCM/dir' },
    });
    const hotId = hot.json<{ id: string }>().id;
    const jwe = await kms.call('POST', `/elastic-keys/${hotId}/encrypt`, { text: 'warm' });
    expect(jwe.status).toBe(200);
    expect((await kms.call('POST', '/admin/v1/barrier/seal')).status).toBe(200);
    // `hot` is cached in memory: sealed still means no operation with it (ARCHITECTURE §4).
    for (const op of ['encrypt', 'decrypt']) {
      const res = await kms.call('POST', `/elastic-keys/${hotId}/${op}`, {
        text: op === 'encrypt' ? 'x' : jwe.text,
      });
      expect(res.status, op).toBe(503);
      expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:barrier-sealed' });
    }
    // `cold` was never used: its private part must come through the (sealed) barrier.
    const sign = await kms.call('POST', `/elastic-keys/${coldId}/sign`, { text: 'x' });
    expect(sign.status).toBe(503);
    expect(sign.json()).toMatchObject({ type: 'urn:cryptoutil:problem:barrier-sealed' });
    const create = await kms.call('POST', '/elastic-keys', {
      json: { name: 'sealed', algorithm: 'ES256' },
    });
    expect(create.status).toBe(503);
    expect((await kms.call('GET', '/admin/v1/readyz')).status).toBe(503);
    const list = await kms.call('GET', '/elastic-keys?names=sealed');
    expect(list.json()).toEqual({ items: [] });
  });
});
