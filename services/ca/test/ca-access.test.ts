// Who may call what (docs/ca.md "Scopes"): every route answers 403 naming the one scope it needs
// to a grant that lacks only that scope, 401 without credentials, and succeeds with it;
// specs/ca.openapi.yaml lists exactly these operations with their scopes and matches the live
// routes on both prefixes; a sealed barrier answers 503 barrier-sealed on issuance, revocation
// and CRLs, `tryLater` on OCSP, and fails readyz, while reads that need no key still answer.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestResponse } from '@cryptoutil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CA_SCOPES } from '../src/index.js';
import { plain, startCa, type CaHarness } from './support/ca-harness.js';
import { openssl, opensslAsync } from './support/openssl.js';

const PROBLEM = 'urn:cryptoutil:problem:';
const refusal = (res: TestResponse) => [res.status, String(res.json().type).replace(PROBLEM, '')];
const UNKNOWN = '01900000-0000-7000-8000-000000000000';
const BROWSER = '/browser/api/v1';

const without = (scope: string) => `without-${scope.replace(':', '-')}`;
const withoutGrants = Object.fromEntries(
  CA_SCOPES.map((scope) => [
    without(scope),
    { tenant: 'tenant-a', scopes: CA_SCOPES.filter((s) => s !== scope) },
  ]),
);

let ca: CaHarness;
let made = 0;

/** A PEM CSR from openssl: a tls-server request, or an ocsp-responder one (approval required). */
function csr(kind: 'leaf' | 'responder' = 'leaf'): string {
  made += 1;
  const name = `req-${made}`;
  const cn = kind === 'leaf' ? `/CN=${name}.example` : `/CN=${name}`;
  const args = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-subj', cn];
  const ext = kind === 'leaf' ? ['-addext', `subjectAltName=DNS:${name}.example`] : [];
  const result = openssl(
    ['req', '-new', '-nodes', ...args, ...ext, '-keyout', `${name}.key`, '-out', `${name}.csr`],
    ca.dir,
  );
  expect(result.status, result.output).toBe(0);
  return readFileSync(join(ca.dir, `${name}.csr`), 'utf8');
}

async function enroll(kind: 'leaf' | 'responder' = 'leaf'): Promise<string> {
  const profile = kind === 'leaf' ? 'tls-server' : 'ocsp-responder';
  const res = await ca.call('POST', '/enroll', { as: 'admin', json: { csr: csr(kind), profile } });
  expect(res.status, res.text).toBeLessThan(300);
  return res.json<{ id: string }>().id;
}

beforeAll(async () => {
  ca = await startCa({}, undefined, withoutGrants);
});
afterAll(() => ca.close());

// docs/ca.md: [method, path as the spec writes it, scope, status of an allowed call].
const ROUTES: Array<[string, string, string, number]> = [
  ['GET', '/cas', 'ca:read', 200],
  ['GET', '/cas/{ca}', 'ca:read', 200],
  ['GET', '/cas/{ca}/chain', 'ca:read', 200],
  ['GET', '/profiles', 'ca:read', 200],
  ['GET', '/profiles/{profile}', 'ca:read', 200],
  ['POST', '/enroll', 'ca:enroll', 201],
  ['GET', '/certificates', 'ca:read', 200],
  ['GET', '/certificates/{id}', 'ca:read', 200],
  ['GET', '/certificates/{id}/chain', 'ca:read', 200],
  ['POST', '/certificates/{id}/revoke', 'ca:revoke', 200],
  ['POST', '/certificates/{id}/approve', 'ca:admin', 200],
  ['POST', '/certificates/{id}/reject', 'ca:admin', 200],
  ['GET', '/audit', 'ca:admin', 200],
];

/** A call of the route that succeeds with its scope: the concrete path and the body. */
async function callOf(method: string, path: string): Promise<{ path: string; json?: unknown }> {
  const key = `${method} ${path}`;
  if (key === 'POST /enroll') return { path, json: { csr: csr(), profile: 'tls-server' } };
  const id =
    key === 'POST /certificates/{id}/approve' || key === 'POST /certificates/{id}/reject'
      ? await enroll('responder')
      : await enroll();
  const concrete = path
    .replace('{ca}', 'issuing')
    .replace('{profile}', 'tls-server')
    .replace('{id}', id);
  return key.endsWith('/revoke')
    ? { path: concrete, json: { reason: 'superseded' } }
    : { path: concrete };
}

describe('scopes and credentials', () => {
  it.each(ROUTES)(
    '%s %s needs %s: 403 naming it without it, 401 without credentials, %i with it',
    async (method, specPath, scope, status) => {
      const { path, json } = await callOf(method, specPath);
      const options = json === undefined ? {} : { json };
      const lacking = await ca.call(method, path, { ...options, as: without(scope) });
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
      for (const as of ['nobody', 'cu_alice_forged']) {
        const anonymous = await ca.call(method, path, { ...options, as });
        const slug = as === 'nobody' ? 'unauthenticated' : 'invalid-token';
        expect(refusal(anonymous), as).toEqual([401, slug]);
      }
      const allowed = await ca.call(method, path, { ...options, as: 'admin' });
      expect(allowed.status, allowed.text).toBe(status);
    },
  );
});

describe('specs/ca.openapi.yaml', () => {
  const spec = parse(
    readFileSync(join(import.meta.dirname, '..', '..', '..', 'specs', 'ca.openapi.yaml'), 'utf8'),
  ) as { paths: Record<string, Record<string, { security: Array<{ bearer: string[] }> }>> };
  const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(
      ([method, o]) => `${method.toUpperCase()} ${path} ${o.security[0]?.bearer.join(',')}`,
    ),
  );

  it('lists every operation with its scope, as the table above', () => {
    const documented = ROUTES.map(
      ([method, path, scope]) =>
        `${method} ${path.replace('{ca}', '{id}').replace('{profile}', '{id}')} ${scope}`,
    );
    expect(operations.sort()).toEqual(documented.sort());
  });

  it('matches the live routes on both prefixes: each demands credentials (browser: CSRF first)', async () => {
    for (const [path, methods] of Object.entries(spec.paths)) {
      const concrete = path.replace('{id}', UNKNOWN);
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        for (const prefix of ['/service/api/v1', BROWSER]) {
          const res = await ca.call(method.toUpperCase(), concrete, { as: 'nobody', prefix });
          const csrf = prefix === BROWSER && method !== 'get';
          const expected = !(method in methods) ? 'not-found' : csrf ? 'csrf' : 'unauthenticated';
          expect(res.json(), `${method} ${prefix}${path}`).toMatchObject({
            type: `${PROBLEM}${expected}`,
          });
        }
      }
    }
  });
});

describe('sealed barrier', () => {
  it('answers 503 on issuance, revocation and CRLs, tryLater on OCSP, and fails readyz', async () => {
    const id = await enroll();
    const leaf = (await ca.call('GET', `/certificates/${id}?format=pem`)).text;
    const chain = (await ca.call('GET', '/cas/issuing/chain?format=pem')).text;
    writeFileSync(join(ca.dir, 'sealed-leaf.pem'), leaf);
    writeFileSync(
      join(ca.dir, 'sealed-issuing.pem'),
      chain.split(/(?<=-----END CERTIFICATE-----\n)/)[0] ?? '',
    );
    // A fresh request (nonce): no cached answer can serve it.
    openssl(
      [
        'ocsp',
        '-issuer',
        'sealed-issuing.pem',
        '-cert',
        'sealed-leaf.pem',
        '-reqout',
        'sealed.req',
      ],
      ca.dir,
    );
    const pending = await enroll('responder');

    expect((await ca.call('POST', '/admin/v1/barrier/seal')).status).toBe(200);
    const CALLS: Array<[string, string, unknown]> = [
      ['POST', '/enroll', { csr: csr(), profile: 'tls-server' }],
      ['POST', `/certificates/${id}/revoke`, { reason: 'keyCompromise' }],
      ['POST', `/certificates/${pending}/approve`, undefined],
    ];
    for (const [method, path, json] of CALLS) {
      const res = await ca.call(method, path, {
        as: 'admin',
        ...(json === undefined ? {} : { json }),
      });
      expect({ status: res.status, body: res.json() }, path).toEqual({
        status: 503,
        body: { type: `${PROBLEM}barrier-sealed`, title: 'Barrier sealed', status: 503 },
      });
    }
    const crl = await plain(ca.plainPort, 'GET', '/.well-known/pki-ca/crl/issuing.crl');
    expect(crl.status).toBe(503);
    expect(JSON.parse(crl.body.toString('utf8'))).toMatchObject({
      type: `${PROBLEM}barrier-sealed`,
    });
    const ocsp = await opensslAsync(
      [
        'ocsp',
        '-reqin',
        'sealed.req',
        '-url',
        `${ca.baseUrl}/.well-known/pki-ca/ocsp`,
        '-noverify',
      ],
      ca.dir,
    );
    expect(ocsp.output).toContain('Responder Error: trylater (3)');
    const ready = await ca.call('GET', '/admin/v1/readyz');
    expect(ready.status).toBe(503);
    expect(ready.json()).toMatchObject({ checks: { database: 'ok', barrier: 'sealed' } });
    // Nothing changed, and reads that need no key still answer.
    const got = await ca.call('GET', `/certificates/${id}`, { as: 'admin' });
    expect(got.json()).toMatchObject({ status: 'issued' });
    expect((await ca.call('GET', '/cas')).status).toBe(200);
  });
});
