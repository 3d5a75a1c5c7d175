// Who may call what (docs/jose.md "Scopes"): every route answers 403 naming the one scope it
// needs to a grant that lacks only that scope, 401 without credentials, and succeeds with it;
// the browser prefix wants a session (and a CSRF token on unsafe methods); specs/jose.openapi.yaml
// lists exactly the documented operations with their scopes and matches the live routes on both
// prefixes; a sealed barrier answers 503 barrier-sealed on every key operation and fails readyz.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestResponse } from '@cryptoutil/server/testing';
import { CompactEncrypt, CompactSign, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { JOSE_SCOPES } from '../src/index.js';
import { DEFAULT_GRANTS, startJose, type JoseHarness } from './support/jose-harness.js';

const PROBLEM = 'urn:cryptoutil:problem:';
/** An answer's status and problem type (without the URN prefix), to compare in one line. */
const refusal = (res: TestResponse) => [res.status, String(res.json().type).replace(PROBLEM, '')];
const UNKNOWN = '01900000-0000-7000-8000-000000000000';
const BROWSER = '/browser/api/v1';

/** The grant of every JOSE scope but `scope` (API key ids allow no colon). */
const without = (scope: string) => `without-${scope.replace(':', '-')}`;
const withoutGrants = Object.fromEntries(
  JOSE_SCOPES.map((scope) => [
    without(scope),
    { tenant: 'tenant-a', scopes: JOSE_SCOPES.filter((s) => s !== scope) },
  ]),
);

let jose: JoseHarness;
const ids = { sig: '', enc: '', doomed: '', jws: '', jwe: '', jwt: '' };

async function ok(method: string, path: string, json?: unknown): Promise<TestResponse> {
  const res = await jose.call(method, path, json === undefined ? {} : { json });
  expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
  return res;
}
const idOf = async (body: Record<string, unknown>) =>
  (await ok('POST', '/jwks', body)).json<{ id: string }>().id;

beforeAll(async () => {
  jose = await startJose({ grants: { ...DEFAULT_GRANTS, ...withoutGrants } });
  ids.sig = await idOf({ name: 'access-sig', use: 'sig', alg: 'ES256' });
  ids.enc = await idOf({ name: 'access-enc', use: 'enc', alg: 'A256KW' });
  ids.doomed = await idOf({ name: 'access-doomed', use: 'sig', alg: 'EdDSA' });
  ids.jws = (await ok('POST', '/sign', { jwks: ids.sig, payload: 'p' })).json<{
    jws: string;
  }>().jws;
  ids.jwe = (await ok('POST', '/encrypt', { jwks: ids.enc, plaintext: 'p' })).json<{
    jwe: string;
  }>().jwe;
  ids.jwt = (await ok('POST', '/jwt/issue', { jwks: ids.sig })).json<{ jwt: string }>().jwt;
});
afterAll(() => jose.service.shutdown('test done'));

// docs/jose.md: [method, path as the spec writes it, scope, status of an allowed call]. The
// order matters: the rotate before the retire makes version 1 previous, and so retirable.
const ROUTES: Array<[string, string, string, number]> = [
  ['POST', '/jwks', 'jose:write', 201],
  ['GET', '/jwks', 'jose:read', 200],
  ['GET', '/jwks/{id}', 'jose:read', 200],
  ['PATCH', '/jwks/{id}', 'jose:write', 200],
  ['DELETE', '/jwks/{id}', 'jose:admin', 204],
  ['POST', '/jwks/{id}/rotate', 'jose:write', 201],
  ['GET', '/jwks/{id}/versions', 'jose:read', 200],
  ['GET', '/jwks/{id}/versions/{version}', 'jose:read', 200],
  ['POST', '/jwks/{id}/versions/{version}/retire', 'jose:write', 200],
  ['GET', '/jwks/{id}/jwks.json', 'jose:read', 200],
  ['POST', '/sign', 'jose:sign', 200],
  ['POST', '/verify', 'jose:verify', 200],
  ['POST', '/encrypt', 'jose:encrypt', 200],
  ['POST', '/decrypt', 'jose:decrypt', 200],
  ['POST', '/jwt/issue', 'jose:sign', 200],
  ['POST', '/jwt/verify', 'jose:verify', 200],
  ['GET', '/audit', 'jose:admin', 200],
];

/** A call of the route that succeeds with its scope: the concrete path and the body. */
function callOf(method: string, path: string): { path: string; json?: unknown } {
  const BODIES: Record<string, unknown> = {
    'POST /jwks': { name: 'access-new', use: 'sig', alg: 'ES256' },
    'PATCH /jwks/{id}': { description: 'patched' },
    'POST /jwks/{id}/rotate': {},
    'POST /jwks/{id}/versions/{version}/retire': {},
    'POST /sign': { jwks: ids.sig, payload: 'x' },
    'POST /verify': { jws: ids.jws },
    'POST /encrypt': { jwks: ids.enc, plaintext: 'x' },
    'POST /decrypt': { jwe: ids.jwe },
    'POST /jwt/issue': { jwks: ids.sig },
    'POST /jwt/verify': { jwt: ids.jwt },
  };
  const concrete = path
    .replace('{id}', method === 'DELETE' ? ids.doomed : ids.sig)
    .replace('{version}', '1');
  const json = BODIES[`${method} ${path}`];
  return json === undefined ? { path: concrete } : { path: concrete, json };
}

describe('scopes and credentials', () => {
  it.each(ROUTES)(
    '%s %s needs %s: 403 naming it without it, 401 without credentials, %i with it',
    async (method, specPath, scope, status) => {
      const { path, json } = callOf(method, specPath);
      const options = json === undefined ? {} : { json };
      const lacking = await jose.call(method, path, { ...options, as: without(scope) });
      expect({ status: lacking.status, body: lacking.json() }).toEqual({
        status: 403,
        body: {
          type: `${PROBLEM}insufficient-scope`,
          title: 'Insufficient scope',
          status: 403,
          detail: `missing scope(s): ${scope}`,
          missingScopes: [scope],
        },
      });
      expect(lacking.headers['www-authenticate']).toBe(
        `Bearer error="insufficient_scope", scope="${scope}"`,
      );
      for (const as of ['nobody', 'cu_alice_forged']) {
        const anonymous = await jose.call(method, path, { ...options, as });
        const slug = as === 'nobody' ? 'unauthenticated' : 'invalid-token';
        expect(refusal(anonymous), as).toEqual([401, slug]);
        expect(anonymous.headers['www-authenticate'], as).toMatch(/^Bearer/);
      }
      const allowed = await jose.call(method, path, options);
      expect(allowed.status, allowed.text).toBe(status);
    },
  );

  it('lets a read-only grant read and nothing else', async () => {
    expect((await jose.call('GET', `/jwks/${ids.sig}`, { as: 'reader' })).status).toBe(200);
    const sign = await jose.call('POST', '/sign', {
      as: 'reader',
      json: { jwks: ids.sig, payload: 'x' },
    });
    expect(sign.json()).toMatchObject({ status: 403, missingScopes: ['jose:sign'] });
  });
});

describe('the browser prefix', () => {
  it('wants a session: 401 on reads, CSRF first on unsafe methods, API keys do not count', async () => {
    for (const as of ['nobody', 'alice']) {
      const read = await jose.call('GET', '/jwks', { as, prefix: BROWSER });
      expect(refusal(read), as).toEqual([401, 'unauthenticated']);
      const write = await jose.call('POST', '/sign', {
        as,
        prefix: BROWSER,
        json: { jwks: ids.sig, payload: 'x' },
      });
      expect(refusal(write), as).toEqual([403, 'csrf']);
    }
    // With a valid CSRF token and cookie, the missing session is what refuses the call.
    const issued = await jose.call('GET', '/csrf-token', { as: 'nobody', prefix: BROWSER });
    const cookie = String(issued.headers['set-cookie']?.[0]).split(';')[0] ?? '';
    const token = issued.json<{ token: string }>().token;
    const write = await jose.call('POST', '/sign', {
      as: 'nobody',
      prefix: BROWSER,
      json: { jwks: ids.sig, payload: 'x' },
      headers: { cookie, 'x-csrf-token': token },
    });
    expect(refusal(write)).toEqual([401, 'unauthenticated']);
  });
});

describe('specs/jose.openapi.yaml', () => {
  const spec = parse(
    readFileSync(join(import.meta.dirname, '..', '..', '..', 'specs', 'jose.openapi.yaml'), 'utf8'),
  ) as { paths: Record<string, Record<string, { security: Array<{ bearer: string[] }> }>> };
  const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(
      ([method, o]) => `${method.toUpperCase()} ${path} ${o.security[0]?.bearer.join(',')}`,
    ),
  );

  it('lists every operation with its scope', () => {
    expect(operations.sort()).toEqual(
      [
        'DELETE /jwks/{id} jose:admin',
        'GET /audit jose:admin',
        'GET /jwks jose:read',
        'GET /jwks/{id} jose:read',
        'GET /jwks/{id}/jwks.json jose:read',
        'GET /jwks/{id}/versions jose:read',
        'GET /jwks/{id}/versions/{version} jose:read',
        'PATCH /jwks/{id} jose:write',
        'POST /decrypt jose:decrypt',
        'POST /encrypt jose:encrypt',
        'POST /jwks jose:write',
        'POST /jwks/{id}/rotate jose:write',
        'POST /jwks/{id}/versions/{version}/retire jose:write',
        'POST /jwt/issue jose:sign',
        'POST /jwt/verify jose:verify',
        'POST /sign jose:sign',
        'POST /verify jose:verify',
      ].sort(),
    );
    const documented = ROUTES.map(([method, path, scope]) => `${method} ${path} ${scope}`);
    expect(documented.sort()).toEqual(operations.sort());
  });

  it('matches the live routes on both prefixes: each demands credentials (browser: CSRF first)', async () => {
    for (const [path, methods] of Object.entries(spec.paths)) {
      const concrete = path.replace('{id}', UNKNOWN).replace('{version}', '1');
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        for (const prefix of ['/service/api/v1', BROWSER]) {
          const res = await jose.call(method.toUpperCase(), concrete, { as: 'nobody', prefix });
          const csrf = prefix === BROWSER && method !== 'get';
          const expected = !(method in methods) ? 'not-found' : csrf ? 'csrf' : 'unauthenticated';
          expect(res.json(), `${method} ${prefix}${path}`).toMatchObject({
            type: `${PROBLEM}${expected}`,
          });
        }
      }
    }
    expect((await jose.call('GET', '/jwks/x/nothing-here', { as: 'nobody' })).status).toBe(404);
  });
});

describe('sealed barrier', () => {
  it('answers 503 barrier-sealed on every key operation and fails readyz', async () => {
    // BYOK sets whose keys this test holds: it signs and encrypts for them itself, so the
    // service's only way to check or open them is through the (sealed) barrier.
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      format: 'jwk',
    }) as JWK;
    const cold = (
      await ok('POST', '/jwks', { name: 'cold-sig', use: 'sig', alg: 'ES256', jwk: ec })
    ).json<{ id: string; currentKid: string }>();
    const ecEnc = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      format: 'jwk',
    }) as JWK;
    const coldEnc = (
      await ok('POST', '/jwks', { name: 'cold-enc', use: 'enc', alg: 'ECDH-ES', jwk: ecEnc })
    ).json<{ id: string; currentKid: string }>();
    const signKey = await importJWK(ec, 'ES256');
    const jws = await new CompactSign(new TextEncoder().encode('cold'))
      .setProtectedHeader({ alg: 'ES256', kid: cold.currentKid })
      .sign(signKey);
    const jwt = await new SignJWT({ sub: 'cold' })
      .setProtectedHeader({ alg: 'ES256', kid: cold.currentKid })
      .sign(signKey);
    const publicEnc: JWK = { kty: 'EC', crv: 'P-256', x: String(ecEnc.x), y: String(ecEnc.y) };
    const jwe = await new CompactEncrypt(new TextEncoder().encode('cold'))
      .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: coldEnc.currentKid })
      .encrypt(await importJWK(publicEnc, 'ECDH-ES'));

    const sealed = await jose.call('POST', '/admin/v1/barrier/seal');
    expect(sealed.status, sealed.text).toBe(200);
    const CALLS: Array<[string, string, unknown]> = [
      ['POST', '/jwks', { name: 'while-sealed', use: 'sig', alg: 'ES256' }],
      ['POST', `/jwks/${cold.id}/rotate`, {}],
      ['POST', '/sign', { jwks: cold.id, payload: 'x' }],
      ['POST', '/verify', { jws }],
      ['POST', '/encrypt', { jwks: coldEnc.id, plaintext: 'x' }],
      ['POST', '/decrypt', { jwe }],
      ['POST', '/jwt/issue', { jwks: cold.id }],
      ['POST', '/jwt/verify', { jwt }],
    ];
    for (const [method, path, json] of CALLS) {
      const res = await jose.call(method, path, { json });
      expect({ status: res.status, body: res.json() }, path).toEqual({
        status: 503,
        body: { type: `${PROBLEM}barrier-sealed`, title: 'Barrier sealed', status: 503 },
      });
    }
    const ready = await jose.call('GET', '/admin/v1/readyz');
    expect({ status: ready.status, body: ready.json() }).toEqual({
      status: 503,
      body: {
        type: `${PROBLEM}not-ready`,
        title: 'Service not ready',
        status: 503,
        detail: 'a readiness check failed',
        checks: { database: 'ok', barrier: 'sealed' },
      },
    });
    // Nothing was created, and what needs no key material still answers.
    const list = (await jose.call('GET', '/jwks?pageSize=1000')).json<{
      items: { name: string }[];
    }>();
    expect(list.items.map((s) => s.name)).not.toContain('while-sealed');
    const published = await jose.call('GET', '/.well-known/jwks.json', {
      as: 'nobody',
      prefix: '',
    });
    expect(published.status).toBe(200);
  });

  it('answers 503 for keys it used before sealing too: no unsealed key outlives a seal', async () => {
    // ARCHITECTURE §4: "Sealed means every crypto operation answers 503". The earlier cases
    // used these sets, so their keys sat unsealed in memory when the barrier was sealed.
    const CALLS: Array<[string, unknown]> = [
      ['/sign', { jwks: ids.sig, payload: 'hot' }],
      ['/encrypt', { jwks: ids.enc, plaintext: 'hot' }],
      ['/decrypt', { jwe: ids.jwe }],
      ['/jwt/issue', { jwks: ids.sig }],
    ];
    const got = [];
    for (const [path, json] of CALLS) {
      const res = await jose.call('POST', path, { json });
      got.push([path, res.status, res.json().type]);
    }
    expect(got).toEqual(CALLS.map(([path]) => [path, 503, `${PROBLEM}barrier-sealed`]));
  });
});
