// JWK sets through the real HTTPS API (docs/jose.md "JWK sets"): create for every key type and
// shape with the exact answer, every refused definition, names, paging, tenancy, PATCH, DELETE,
// rotation and versions, thumbprint kids (RFC 7638, RFC 9278), bring-your-own-key and the
// set's own JWKS. No answer of this file may carry a private or secret JWK member.
import { generateKeyPairSync } from 'node:crypto';
import type { TestResponse } from '@cryptoutil/server/testing';
import { calculateJwkThumbprint, calculateJwkThumbprintUri, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRANTS, startJose, type JoseHarness } from './support/jose-harness.js';

const PROBLEM = 'urn:cryptoutil:problem:';
/** An answer's status and problem type (without the URN prefix), to compare in one line. */
const refusal = (res: TestResponse) => [res.status, String(res.json().type).replace(PROBLEM, '')];
const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const SECRET_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);
const UNKNOWN = '01900000-0000-7000-8000-000000000000';

interface KeySetJson {
  id: string;
  name: string;
  currentVersion: number;
  currentKid: string;
  createdAt: string;
  updatedAt: string;
  rotatedAt: string;
  nextRotationAt?: string;
  [member: string]: unknown;
}
interface VersionJson {
  setId: string;
  version: number;
  kid: string;
  status: string;
  publicJwk?: JWK;
  createdAt: string;
  retiredAt?: string;
}

/** Paths to every member of `value` named like a private or secret JWK member. */
function secretMembers(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretMembers(v, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([name, v]) => [
    ...(SECRET_MEMBERS.has(name) ? [`${path}.${name}`] : []),
    ...secretMembers(v, `${path}.${name}`),
  ]);
}

let jose: JoseHarness;
beforeAll(async () => {
  jose = await startJose({
    grants: {
      ...DEFAULT_GRANTS,
      writer: { tenant: 'tenant-a', scopes: ['jose:read', 'jose:write'] },
      carol: { tenant: 'tenant-c', scopes: ['jose:read', 'jose:write'] },
    },
  });
});
afterAll(() => jose.service.shutdown('test done'));

/** Every call of this file: whatever it answers, no private member is in it. */
async function call(
  method: string,
  path: string,
  options: { as?: string; json?: unknown; prefix?: string } = {},
): Promise<TestResponse> {
  const res = await jose.call(method, path, options);
  if (res.text !== '') expect(secretMembers(res.json()), `${method} ${path}`).toEqual([]);
  return res;
}
const create = (body: Record<string, unknown>, as = 'alice') =>
  call('POST', '/jwks', { json: body, as });
async function created(body: Record<string, unknown>, as = 'alice'): Promise<KeySetJson> {
  const res = await create(body, as);
  expect(res.status, res.text).toBe(201);
  return res.json<KeySetJson>();
}
const versionsOf = async (id: string) =>
  (await call('GET', `/jwks/${id}/versions`)).json<{ items: VersionJson[] }>().items;
const problem = (slug: string, title: string, status: number, detail: string) => ({
  type: `${PROBLEM}${slug}`,
  title,
  status,
  detail,
});
const keySpecProblem = (detail: string) =>
  problem('invalid-key-spec', 'Invalid key set definition', 400, detail);
const materialProblem = (detail: string) =>
  problem('invalid-key-material', 'Invalid key material', 400, detail);
const bits = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64url').length * 8;
const rsaJwk = (modulusLength: number, publicExponent = 65537) =>
  generateKeyPairSync('rsa', { modulusLength, publicExponent }).privateKey.export({
    format: 'jwk',
  }) as JWK;
const ecJwk = (namedCurve: string) =>
  generateKeyPairSync('ec', { namedCurve }).privateKey.export({ format: 'jwk' }) as JWK;
const okpJwk = (type: 'ed25519' | 'x25519') =>
  (type === 'ed25519'
    ? generateKeyPairSync('ed25519')
    : generateKeyPairSync('x25519')
  ).privateKey.export({ format: 'jwk' }) as JWK;
/** `'sig ES256 size=3072'` as `{ use: 'sig', alg: 'ES256', size: 3072 }` (numbers, booleans typed). */
function members(text: string, ...positional: string[]): Record<string, unknown> {
  const entries = text.split(' ').map((word, i): [string, unknown] => {
    const [name = '', value = ''] = i < positional.length ? [positional[i], word] : word.split('=');
    if (/^\d+$/.test(value)) return [name, Number(value)];
    return [name, value === 'true' || value === 'false' ? value === 'true' : value];
  });
  return Object.fromEntries(entries);
}
let names = 0;
const uniqueName = (prefix: string) => `${prefix}-${(names += 1)}`;

describe('create', () => {
  // [use, alg and other members asked for; the key shape answered (and enc, for enc sets)]
  const CASES: Array<[string, string]> = [
    ['sig RS256', 'RSA size=2048'],
    ['sig PS384 size=3072', 'RSA size=3072'],
    ['sig RS512 size=4096', 'RSA size=4096'],
    ['sig ES256', 'EC crv=P-256'],
    ['sig ES384', 'EC crv=P-384'],
    ['sig ES512', 'EC crv=P-521'],
    ['sig EdDSA', 'OKP crv=Ed25519'],
    ['sig HS256', 'oct size=256'],
    ['sig HS384', 'oct size=384'],
    ['sig HS512', 'oct size=512'],
    ['sig HS256 size=512', 'oct size=512'],
    ['enc RSA-OAEP-256', 'RSA size=2048 enc=A256GCM'],
    ['enc RSA-OAEP-512 size=4096 enc=A128CBC-HS256', 'RSA size=4096 enc=A128CBC-HS256'],
    ['enc ECDH-ES+A128KW enc=A128GCM', 'EC crv=P-256 enc=A128GCM'],
    ['enc ECDH-ES crv=P-384', 'EC crv=P-384 enc=A256GCM'],
    ['enc A128KW', 'oct size=128 enc=A256GCM'],
    ['enc A192GCMKW', 'oct size=192 enc=A256GCM'],
    ['enc A256KW', 'oct size=256 enc=A256GCM'],
    ['enc dir', 'oct size=256 enc=A256GCM'],
    ['enc dir enc=A128GCM', 'oct size=128 enc=A128GCM'],
    ['enc dir enc=A192CBC-HS384', 'oct size=384 enc=A192CBC-HS384'],
    ['enc dir enc=A256CBC-HS512', 'oct size=512 enc=A256CBC-HS512'],
  ];

  it.each(CASES)(
    '%s answers the exact set, its version 1 and its JWKS',
    async (asked, answered) => {
      const body = members(asked, 'use', 'alg');
      const kty = answered.split(' ')[0] as string;
      // docs/jose.md: publish defaults to true for asymmetric sets; oct sets are never published.
      const shape: Record<string, unknown> = {
        ...members(answered, 'kty'),
        publish: kty !== 'oct',
      };
      const name = uniqueName('create');
      const before = Date.now();
      const res = await create({ name, ...body });
      expect(res.status, res.text).toBe(201);
      const set = res.json<KeySetJson>();
      expect(set).toEqual({
        id: expect.stringMatching(UUID7),
        name,
        description: '',
        use: body.use,
        alg: body.alg,
        ...shape,
        kidFormat: 'uuid',
        maxVersions: 3,
        currentVersion: 1,
        currentKid: expect.stringMatching(UUID7),
        createdAt: expect.stringMatching(ISO),
        updatedAt: set.createdAt,
        rotatedAt: set.createdAt,
      });
      expect(Date.parse(set.createdAt)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(set.createdAt)).toBeLessThanOrEqual(Date.now());
      expect((await call('GET', `/jwks/${set.id}`)).json()).toEqual(set);
      const [v1, ...others] = await versionsOf(set.id);
      expect(others).toEqual([]);
      const common = { setId: set.id, version: 1, kid: set.currentKid, status: 'current' };
      const jwks = (await call('GET', `/jwks/${set.id}/jwks.json`)).json<{ keys: JWK[] }>();
      if (kty === 'oct') {
        expect(v1).toEqual({ ...common, createdAt: set.createdAt });
        expect(jwks).toEqual({ keys: [] });
        return;
      }
      const stamp = { kid: set.currentKid, alg: body.alg, use: body.use };
      const pub = v1?.publicJwk ?? {};
      const publicMembers: Record<string, Record<string, unknown>> = {
        RSA: { kty, n: expect.any(String), e: 'AQAB' },
        EC: { kty, crv: shape.crv, x: expect.any(String), y: expect.any(String) },
        OKP: { kty, crv: 'Ed25519', x: expect.any(String) },
      };
      expect(v1).toEqual({
        ...common,
        publicJwk: { ...publicMembers[kty], ...stamp },
        createdAt: set.createdAt,
      });
      if (kty === 'RSA') expect(bits(pub.n)).toBe(shape.size);
      expect(jwks).toEqual({ keys: [pub] });
    },
  );

  it('defaults kty, size and crv from alg as docs/jose.md says', async () => {
    // docs/jose.md "Algorithms": RS*/PS* default to RSA 2048; ECDH-ES* to the curve matching
    // the wrap or enc strength (+A128KW and 128-bit enc P-256, 192 P-384, 256 P-521).
    const DEFAULTS: Array<[string, string]> = [
      ['sig PS256', 'RSA size=2048'],
      ['sig RS384', 'RSA size=3072'],
      ['sig PS512', 'RSA size=4096'],
      ['enc ECDH-ES+A128KW', 'EC crv=P-256'],
      ['enc ECDH-ES+A192KW', 'EC crv=P-384'],
      ['enc ECDH-ES+A256KW', 'EC crv=P-521'],
      ['enc ECDH-ES enc=A128GCM', 'EC crv=P-256'],
      ['enc ECDH-ES enc=A192GCM', 'EC crv=P-384'],
      ['enc ECDH-ES', 'EC crv=P-521'],
    ];
    const got: Array<[string, string]> = [];
    for (const [asked] of DEFAULTS) {
      const set = await created({ name: uniqueName('default'), ...members(asked, 'use', 'alg') });
      got.push([
        asked,
        `${String(set.kty)} ${set.kty === 'RSA' ? `size=${String(set.size)}` : `crv=${String(set.crv)}`}`,
      ]);
    }
    expect(got).toEqual(DEFAULTS);
  });

  it('keeps the description, maxVersions, rotation period and publish it was given', async () => {
    const set = await created({
      name: uniqueName('options'),
      description: 'ID tokens',
      use: 'sig',
      alg: 'ES256',
      maxVersions: 5,
      rotationPeriodSeconds: 3600,
      publish: false,
    });
    expect(set).toMatchObject({
      description: 'ID tokens',
      maxVersions: 5,
      rotationPeriodSeconds: 3600,
      publish: false,
      nextRotationAt: new Date(Date.parse(set.rotatedAt) + 3_600_000).toISOString(),
    });
  });

  it('refuses definitions whose parts do not fit together with invalid-key-spec', async () => {
    const THUMBPRINT =
      'thumbprint kids are for asymmetric sets: the thumbprint of a secret key is a hash of it';
    const REFUSED: Array<[string, string]> = [
      ['sig RSA-OAEP', 'RSA-OAEP is not a signing algorithm'],
      ['enc ES256', 'ES256 is not an encryption algorithm'],
      ['sig ES256 enc=A256GCM', 'enc is for encryption sets only'],
      ['sig ES256 crv=P-384', 'ES256 needs an EC P-256 key'],
      ['sig ES256 kty=RSA', 'ES256 needs an EC P-256 key'],
      ['sig RS256 size=1024', 'an RSA key is 2048, 3072 or 4096 bits'],
      ['sig HS512 size=256', 'HS512 needs a 512-bit oct key'],
      ['sig EdDSA crv=P-256', 'the only OKP curve is Ed25519'],
      ['sig EdDSA kty=EC', 'EdDSA needs an OKP Ed25519 key'],
      ['sig RS256 size=2048 crv=P-256', 'give size or crv, not both'],
      ['enc ECDH-ES+A128KW kty=OKP', 'ECDH-ES+A128KW needs an EC P-256 key'],
      ['enc A128KW size=256', 'A128KW needs a 128-bit oct key'],
      ['enc dir enc=A128GCM size=256', 'dir with A128GCM needs a 128-bit oct key'],
      ['sig HS256 publish=true', 'an oct set has no public key to publish'],
      ['enc A256KW kidFormat=thumbprint', THUMBPRINT],
      ['sig HS256 kidFormat=thumbprint-uri', THUMBPRINT],
    ];
    const before = (await call('GET', '/jwks?pageSize=1000')).json();
    for (const [asked, detail] of REFUSED) {
      const res = await create({ name: uniqueName('refused'), ...members(asked, 'use', 'alg') });
      expect({ status: res.status, body: res.json() }, asked).toEqual({
        status: 400,
        body: keySpecProblem(detail),
      });
    }
    expect((await call('GET', '/jwks?pageSize=1000')).json()).toEqual(before);
  });

  it('refuses malformed requests with a validation problem naming the field', async () => {
    const INVALID: Array<[Record<string, unknown>, string]> = [
      [{ name: 'bad name!', use: 'sig', alg: 'ES256' }, 'body.name'],
      [{ name: 'x'.repeat(64), use: 'sig', alg: 'ES256' }, 'body.name'],
      [{ name: '', use: 'sig', alg: 'ES256' }, 'body.name'],
      [{ use: 'sig', alg: 'ES256' }, 'body.name'],
      [{ name: 'v-use', alg: 'ES256' }, 'body.use'],
      [{ name: 'v-none', use: 'sig', alg: 'none' }, 'body.alg'],
      [{ name: 'v-rsa15', use: 'enc', alg: 'RSA1_5' }, 'body.alg'],
      [{ name: 'v-pbes2', use: 'enc', alg: 'PBES2-HS256+A128KW' }, 'body.alg'],
      [{ name: 'v-x25519', use: 'enc', alg: 'ECDH-ES', kty: 'OKP', crv: 'X25519' }, 'body.crv'],
      [{ name: 'v-enc', use: 'enc', alg: 'dir', enc: 'A128CBC' }, 'body.enc'],
      [{ name: 'v-kid', use: 'sig', alg: 'ES256', kidFormat: 'sha1' }, 'body.kidFormat'],
      [{ name: 'v-max0', use: 'sig', alg: 'ES256', maxVersions: 0 }, 'body.maxVersions'],
      [{ name: 'v-max101', use: 'sig', alg: 'ES256', maxVersions: 101 }, 'body.maxVersions'],
      [
        { name: 'v-period', use: 'sig', alg: 'ES256', rotationPeriodSeconds: 59 },
        'body.rotationPeriodSeconds',
      ],
    ];
    for (const [body, path] of INVALID) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const answer = res.json<{ type: string; errors: { path: string }[] }>();
      expect(answer.type, JSON.stringify(body)).toBe(`${PROBLEM}validation`);
      expect(
        answer.errors.map((e) => e.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    const extra = await create({ name: 'v-extra', use: 'sig', alg: 'ES256', owner: 'me' });
    expect(extra.status).toBe(400);
    expect(extra.json()).toMatchObject({ type: `${PROBLEM}validation` });
  });

  it('answers 409 name-taken for a name the tenant already has; other tenants may use it', async () => {
    await created({ name: 'taken', use: 'sig', alg: 'ES256' });
    const again = await create({ name: 'taken', use: 'enc', alg: 'A256KW' });
    expect({ status: again.status, body: again.json() }).toEqual({
      status: 409,
      body: problem('name-taken', 'Key name already in use', 409, 'a set named taken exists'),
    });
    expect((await create({ name: 'taken', use: 'sig', alg: 'ES256' }, 'bob')).status).toBe(201);
  });
});

describe('list and get', () => {
  it('lists newest first in pages, and refuses a page token it did not issue', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push((await created({ name: `page-${i}`, use: 'sig', alg: 'HS256' }, 'carol')).id);
    }
    const newestFirst = [...ids].reverse();
    const seen: string[] = [];
    let token: string | undefined;
    const tokens: (string | undefined)[] = [];
    do {
      const query = `?pageSize=2${token === undefined ? '' : `&pageToken=${token}`}`;
      const page = (await call('GET', `/jwks${query}`, { as: 'carol' })).json<{
        items: KeySetJson[];
        nextPageToken?: string;
      }>();
      seen.push(...page.items.map((s) => s.id));
      token = page.nextPageToken;
      tokens.push(token);
    } while (token !== undefined);
    expect(seen).toEqual(newestFirst);
    expect(tokens.map((t) => typeof t)).toEqual(['string', 'string', 'undefined']);
    const all = (await call('GET', '/jwks', { as: 'carol' })).json<{ items: KeySetJson[] }>();
    expect(all).toEqual({ items: expect.any(Array) });
    expect(all.items.map((s) => s.id)).toEqual(newestFirst);
    expect(all.items[0]).toEqual((await call('GET', `/jwks/${ids[4]}`, { as: 'carol' })).json());
    const bad = await call('GET', '/jwks?pageToken=bm90LW91cnM', { as: 'carol' });
    expect({ status: bad.status, body: bad.json() }).toEqual({
      status: 400,
      body: problem('invalid-page-token', 'Invalid page token', 400, 'invalid page token'),
    });
    for (const query of ['?pageSize=0', '?pageSize=1001', '?pageSize=x', '?sort=name']) {
      const res = await call('GET', `/jwks${query}`, { as: 'carol' });
      expect(res.status, query).toBe(400);
      expect(res.json(), query).toMatchObject({ type: `${PROBLEM}validation` });
    }
  });

  it("answers 404 for another tenant's set on every route, exactly like an unknown one", async () => {
    const set = await created({ name: uniqueName('mine'), use: 'sig', alg: 'ES256' });
    const ATTEMPTS: Array<[string, string, unknown]> = [
      ['GET', '', undefined],
      ['PATCH', '', { description: 'stolen' }],
      ['DELETE', '', undefined],
      ['POST', '/rotate', {}],
      ['GET', '/versions', undefined],
      ['GET', '/versions/1', undefined],
      ['POST', '/versions/1/retire', {}],
      ['GET', '/jwks.json', undefined],
    ];
    for (const [method, suffix, json] of ATTEMPTS) {
      for (const id of [set.id, UNKNOWN]) {
        const res = await call(method, `/jwks/${id}${suffix}`, { as: 'bob', json });
        expect(refusal(res), `${method} ${suffix}`).toEqual([404, 'not-found']);
      }
    }
    const bobs = (await call('GET', '/jwks?pageSize=1000', { as: 'bob' })).json<{
      items: KeySetJson[];
    }>();
    expect(bobs.items.map((s) => s.id)).not.toContain(set.id);
    expect((await call('GET', `/jwks/${set.id}`)).json()).toEqual(set);
    expect((await call('GET', `/jwks/${set.id}/versions/2`)).status).toBe(404);
    for (const path of [
      '/jwks/not-a-uuid',
      `/jwks/${set.id}/versions/0`,
      `/jwks/${set.id}/versions/x`,
    ]) {
      const res = await call('GET', path);
      expect(refusal(res), path).toEqual([400, 'validation']);
    }
  });
});

describe('PATCH', () => {
  it('changes the description and publish, and nothing else', async () => {
    const set = await created({ name: uniqueName('patch'), use: 'sig', alg: 'EdDSA' });
    const res = await call('PATCH', `/jwks/${set.id}`, {
      json: { description: 'renamed', publish: false },
    });
    expect(res.status, res.text).toBe(200);
    const patched = res.json<KeySetJson>();
    expect(patched).toEqual({
      ...set,
      description: 'renamed',
      publish: false,
      updatedAt: expect.stringMatching(ISO),
    });
    expect(Date.parse(patched.updatedAt)).toBeGreaterThanOrEqual(Date.parse(set.updatedAt));
    expect((await call('GET', `/jwks/${set.id}`)).json()).toEqual(patched);
    const empty = await call('PATCH', `/jwks/${set.id}`, { json: {} });
    expect(refusal(empty)).toEqual([400, 'validation']);
    for (const json of [{ name: 'other' }, { maxVersions: 0 }, { rotationPeriodSeconds: 10 }]) {
      expect((await call('PATCH', `/jwks/${set.id}`, { json })).status, JSON.stringify(json)).toBe(
        400,
      );
    }
  });

  it('sets and clears the rotation period: nextRotationAt appears and disappears', async () => {
    const set = await created({ name: uniqueName('period'), use: 'sig', alg: 'ES256' });
    expect(set).not.toHaveProperty('nextRotationAt');
    const on = (
      await call('PATCH', `/jwks/${set.id}`, { json: { rotationPeriodSeconds: 86_400 } })
    ).json<KeySetJson>();
    expect(on).toMatchObject({
      rotationPeriodSeconds: 86_400,
      nextRotationAt: new Date(Date.parse(set.rotatedAt) + 86_400_000).toISOString(),
    });
    expect((await call('GET', `/jwks/${set.id}`)).json()).toEqual(on);
    const off = (
      await call('PATCH', `/jwks/${set.id}`, { json: { rotationPeriodSeconds: null } })
    ).json<KeySetJson>();
    expect(off).not.toHaveProperty('rotationPeriodSeconds');
    expect(off).not.toHaveProperty('nextRotationAt');
    expect((await call('GET', `/jwks/${set.id}`)).json()).toEqual(off);
  });

  it('retires the versions beyond a lowered maxVersions, oldest first', async () => {
    const set = await created({ name: uniqueName('shrink'), use: 'sig', alg: 'ES256' });
    await call('POST', `/jwks/${set.id}/rotate`, { json: {} });
    await call('POST', `/jwks/${set.id}/rotate`, { json: {} });
    const patched = await call('PATCH', `/jwks/${set.id}`, { json: { maxVersions: 1 } });
    expect(patched.json()).toMatchObject({ maxVersions: 1, currentVersion: 3 });
    const versions = await versionsOf(set.id);
    expect(versions.map((v) => [v.version, v.status, typeof v.retiredAt])).toEqual([
      [3, 'current', 'undefined'],
      [2, 'retired', 'string'],
      [1, 'retired', 'string'],
    ]);
    const jwks = (await call('GET', `/jwks/${set.id}/jwks.json`)).json<{ keys: JWK[] }>();
    expect(jwks.keys.map((k) => k.kid)).toEqual([versions[0]?.kid]);
  });

  it('refuses to publish an oct set', async () => {
    const set = await created({ name: uniqueName('oct-publish'), use: 'sig', alg: 'HS384' });
    const res = await call('PATCH', `/jwks/${set.id}`, { json: { publish: true } });
    expect({ status: res.status, body: res.json() }).toEqual({
      status: 400,
      body: keySpecProblem('an oct set has no public key to publish'),
    });
    expect((await call('GET', `/jwks/${set.id}`)).json()).toEqual(set);
  });
});

describe('DELETE', () => {
  it('needs jose:admin, then destroys the set: 404 and gone from jwks.json', async () => {
    const set = await created({ name: uniqueName('doomed'), use: 'sig', alg: 'ES384' });
    const published = async () =>
      (await call('GET', '/.well-known/jwks.json', { as: 'nobody', prefix: '' }))
        .json<{ keys: JWK[] }>()
        .keys.map((k) => k.kid);
    expect(await published()).toContain(set.currentKid);
    const writer = await call('DELETE', `/jwks/${set.id}`, { as: 'writer' });
    expect({ status: writer.status, body: writer.json() }).toEqual({
      status: 403,
      body: {
        ...problem('insufficient-scope', 'Insufficient scope', 403, 'missing scope(s): jose:admin'),
        missingScopes: ['jose:admin'],
      },
    });
    expect((await call('GET', `/jwks/${set.id}`)).status).toBe(200);
    const deleted = await call('DELETE', `/jwks/${set.id}`);
    expect({ status: deleted.status, text: deleted.text }).toEqual({ status: 204, text: '' });
    for (const path of ['', '/versions', '/versions/1', '/jwks.json']) {
      expect((await call('GET', `/jwks/${set.id}${path}`)).status, path).toBe(404);
    }
    expect((await call('DELETE', `/jwks/${set.id}`)).status).toBe(404);
    expect(await published()).not.toContain(set.currentKid);
    // The name is free again.
    expect((await create({ name: set.name, use: 'sig', alg: 'ES384' })).status).toBe(201);
  });
});

describe('rotation and versions', () => {
  it('rotates to a new current version; the old one is previous until retired', async () => {
    const set = await created({ name: uniqueName('rotate'), use: 'sig', alg: 'ES256' });
    const res = await call('POST', `/jwks/${set.id}/rotate`, { json: {} });
    expect(res.status, res.text).toBe(201);
    const v2 = res.json<VersionJson>();
    expect(v2).toEqual({
      setId: set.id,
      version: 2,
      kid: expect.stringMatching(UUID7),
      status: 'current',
      publicJwk: {
        kty: 'EC',
        crv: 'P-256',
        x: expect.any(String),
        y: expect.any(String),
        kid: v2.kid,
        alg: 'ES256',
        use: 'sig',
      },
      createdAt: expect.stringMatching(ISO),
    });
    expect(v2.kid).not.toBe(set.currentKid);
    expect((await call('GET', `/jwks/${set.id}`)).json()).toEqual({
      ...set,
      currentVersion: 2,
      currentKid: v2.kid,
      updatedAt: v2.createdAt,
      rotatedAt: v2.createdAt,
    });
    const [latest, v1] = await versionsOf(set.id);
    expect(latest).toEqual(v2);
    expect(v1).toMatchObject({ version: 1, kid: set.currentKid, status: 'previous' });
    expect(v1).not.toHaveProperty('retiredAt');
    expect((await call('GET', `/jwks/${set.id}/versions/1`)).json()).toEqual(v1);
    expect((await call('GET', `/jwks/${set.id}/versions/2`)).json()).toEqual(v2);
    const jwks = (await call('GET', `/jwks/${set.id}/jwks.json`)).json<{ keys: JWK[] }>();
    expect(jwks).toEqual({ keys: [v2.publicJwk, v1?.publicJwk] });

    const current = await call('POST', `/jwks/${set.id}/versions/2/retire`, { json: {} });
    expect({ status: current.status, body: current.json() }).toEqual({
      status: 409,
      body: problem(
        'operation-not-allowed',
        'Operation not allowed for this key',
        409,
        'the current version cannot be retired: rotate first',
      ),
    });
    const retired = await call('POST', `/jwks/${set.id}/versions/1/retire`, { json: {} });
    expect(retired.status, retired.text).toBe(200);
    const r1 = retired.json<VersionJson>();
    expect(r1).toEqual({ ...v1, status: 'retired', retiredAt: expect.stringMatching(ISO) });
    const twice = await call('POST', `/jwks/${set.id}/versions/1/retire`, { json: {} });
    expect({ status: twice.status, body: twice.json() }).toEqual({ status: 200, body: r1 });
    expect((await call('GET', `/jwks/${set.id}/versions/1`)).json()).toEqual(r1);
    expect((await call('GET', `/jwks/${set.id}/jwks.json`)).json()).toEqual({
      keys: [v2.publicJwk],
    });
    const missing = await call('POST', `/jwks/${set.id}/versions/3/retire`, { json: {} });
    expect(missing.status).toBe(404);
  });

  it('retires the oldest versions beyond maxVersions on rotate', async () => {
    const set = await created({
      name: uniqueName('max2'),
      use: 'enc',
      alg: 'ECDH-ES+A128KW',
      maxVersions: 2,
    });
    for (let i = 0; i < 3; i += 1) {
      expect((await call('POST', `/jwks/${set.id}/rotate`, { json: {} })).status).toBe(201);
    }
    const versions = await versionsOf(set.id);
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [4, 'current'],
      [3, 'previous'],
      [2, 'retired'],
      [1, 'retired'],
    ]);
    const jwks = (await call('GET', `/jwks/${set.id}/jwks.json`)).json<{ keys: JWK[] }>();
    expect(jwks.keys.map((k) => k.kid)).toEqual(versions.slice(0, 2).map((v) => v.kid));
  });

  it('rotates an oct set without ever showing its secret', async () => {
    const set = await created({ name: uniqueName('oct-rotate'), use: 'enc', alg: 'dir' });
    const v2 = (await call('POST', `/jwks/${set.id}/rotate`, { json: {} })).json<VersionJson>();
    expect(v2).toEqual({
      setId: set.id,
      version: 2,
      kid: expect.stringMatching(UUID7),
      status: 'current',
      createdAt: expect.stringMatching(ISO),
    });
    expect((await call('GET', `/jwks/${set.id}/jwks.json`)).json()).toEqual({ keys: [] });
  });
});

describe('thumbprint kids', () => {
  it('uses the RFC 7638 SHA-256 thumbprint of each version as its kid', async () => {
    const set = await created({
      name: uniqueName('tp'),
      use: 'sig',
      alg: 'ES384',
      kidFormat: 'thumbprint',
    });
    expect(set.kidFormat).toBe('thumbprint');
    await call('POST', `/jwks/${set.id}/rotate`, { json: {} });
    const versions = await versionsOf(set.id);
    expect(versions).toHaveLength(2);
    for (const v of versions) {
      const jwk = v.publicJwk as JWK;
      expect(v.kid).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
      expect(jwk.kid).toBe(v.kid);
    }
    expect(versions[1]?.kid).toBe(set.currentKid);
  });

  it('uses the RFC 9278 thumbprint URI with kidFormat thumbprint-uri', async () => {
    const set = await created({
      name: uniqueName('tpu'),
      use: 'enc',
      alg: 'RSA-OAEP',
      kidFormat: 'thumbprint-uri',
    });
    const [v1] = await versionsOf(set.id);
    const jwk = v1?.publicJwk as JWK;
    expect(set.currentKid).toBe(await calculateJwkThumbprintUri(jwk, 'sha256'));
    expect(set.currentKid).toMatch(/^urn:ietf:params:oauth:jwk-thumbprint:sha-256:[\w-]{43}$/);
    expect(jwk.kid).toBe(set.currentKid);
  });
});

describe('bring your own key', () => {
  it('imports an RSA 3072 key as version 1, replacing its kid, alg, use and key_ops', async () => {
    const mine = rsaJwk(3072);
    const set = await created({
      name: uniqueName('byok-rsa'),
      use: 'sig',
      alg: 'RS256',
      jwk: { ...mine, kid: 'caller-kid', alg: 'PS512', use: 'enc', key_ops: ['decrypt'] },
    });
    expect(set).toMatchObject({ kty: 'RSA', size: 3072, alg: 'RS256', use: 'sig' });
    expect(set.currentKid).toMatch(UUID7);
    const [v1] = await versionsOf(set.id);
    expect(v1?.publicJwk).toEqual({
      kty: 'RSA',
      n: mine.n,
      e: mine.e,
      kid: set.currentKid,
      alg: 'RS256',
      use: 'sig',
    });
    const next = rsaJwk(3072);
    const rotated = await call('POST', `/jwks/${set.id}/rotate`, { json: { jwk: next } });
    expect(rotated.status, rotated.text).toBe(201);
    const v2 = rotated.json<VersionJson>();
    expect(v2).toMatchObject({ version: 2, status: 'current' });
    expect(v2.publicJwk).toEqual({
      kty: 'RSA',
      n: next.n,
      e: next.e,
      kid: v2.kid,
      alg: 'RS256',
      use: 'sig',
    });
    for (const res of [rotated, await call('GET', `/jwks/${set.id}/versions`)]) {
      expect(res.text).not.toContain(String(mine.d));
      expect(res.text).not.toContain(String(next.d));
    }
  });

  it('imports a 512-bit secret for HS256 and an EC key with a thumbprint kid', async () => {
    const secret = { kty: 'oct', k: Buffer.alloc(64, 7).toString('base64url') };
    const hs = await created({
      name: uniqueName('byok-hs'),
      use: 'sig',
      alg: 'HS256',
      jwk: secret,
    });
    expect(hs).toMatchObject({ kty: 'oct', size: 512, publish: false });
    const ec = ecJwk('P-256');
    const es = await created({
      name: uniqueName('byok-ec'),
      use: 'sig',
      alg: 'ES256',
      kidFormat: 'thumbprint',
      jwk: { ...ec, kid: 'ignored' },
    });
    const publicMembers = { kty: 'EC', crv: 'P-256', x: String(ec.x), y: String(ec.y) };
    expect(es.currentKid).toBe(await calculateJwkThumbprint(publicMembers, 'sha256'));
  });

  it('keeps imported kids with kidFormat jwk; a kid is unique per tenant (409 kid-taken)', async () => {
    const set = await created({
      name: uniqueName('byok-kid'),
      use: 'sig',
      alg: 'ES256',
      kidFormat: 'jwk',
      jwk: { ...ecJwk('P-256'), kid: 'legacy-2019' },
    });
    expect(set).toMatchObject({ kidFormat: 'jwk', currentKid: 'legacy-2019' });
    const imported = await call('POST', `/jwks/${set.id}/rotate`, {
      json: { jwk: { ...ecJwk('P-256'), kid: 'legacy-2020' } },
    });
    expect(imported.json()).toMatchObject({ version: 2, kid: 'legacy-2020' });
    // A version the set generates itself gets a UUIDv7.
    const generated = await call('POST', `/jwks/${set.id}/rotate`, { json: {} });
    expect(generated.json<VersionJson>().kid).toMatch(UUID7);
    const again = await call('POST', `/jwks/${set.id}/rotate`, {
      json: { jwk: { ...ecJwk('P-256'), kid: 'legacy-2019' } },
    });
    expect({ status: again.status, body: again.json() }).toEqual({
      status: 409,
      body: problem(
        'kid-taken',
        'Key id already in use',
        409,
        'a key version of this tenant already has that kid',
      ),
    });
    expect((await call('GET', `/jwks/${set.id}`)).json()).toMatchObject({ currentVersion: 3 });
    const taken = await create({
      name: uniqueName('byok-kid'),
      use: 'enc',
      alg: 'A128KW',
      kidFormat: 'jwk',
      jwk: { kty: 'oct', k: Buffer.alloc(16, 3).toString('base64url'), kid: 'legacy-2020' },
    });
    expect(refusal(taken)).toEqual([409, 'kid-taken']);
    const bobs = await create(
      {
        name: uniqueName('byok-kid'),
        use: 'sig',
        alg: 'ES256',
        kidFormat: 'jwk',
        jwk: { ...ecJwk('P-256'), kid: 'legacy-2019' },
      },
      'bob',
    );
    expect(bobs.json()).toMatchObject({ currentKid: 'legacy-2019' });
    const noJwk = await create({
      name: uniqueName('kid'),
      use: 'sig',
      alg: 'ES256',
      kidFormat: 'jwk',
    });
    expect({ status: noJwk.status, body: noJwk.json() }).toEqual({
      status: 400,
      body: keySpecProblem('kidFormat jwk keeps the kid of an imported key: give jwk'),
    });
    for (const kid of [undefined, '', 'k'.repeat(257), 42]) {
      const res = await create({
        name: uniqueName('kid'),
        use: 'sig',
        alg: 'ES256',
        kidFormat: 'jwk',
        jwk: { ...ecJwk('P-256'), kid },
      });
      expect({ status: res.status, body: res.json() }, String(kid)).toEqual({
        status: 400,
        body: materialProblem('kidFormat jwk needs a kid of 1 to 256 characters in the JWK'),
      });
    }
  });

  it('refuses bad key material with invalid-key-material and the rule, creating nothing', async () => {
    const rsa = rsaJwk(2048);
    const p256 = ecJwk('P-256');
    const other256 = ecJwk('P-256');
    const REFUSED: Array<[string, unknown, string]> = [
      [
        'RS256',
        { kty: 'RSA', n: rsa.n, e: rsa.e },
        'a key for RS256 must include its private members (d, p, q, dp, dq, qi)',
      ],
      [
        'RS256',
        rsaJwk(1024),
        'an RSA key must have a modulus of 2048 to 8192 bits, a multiple of 8',
      ],
      [
        'PS256',
        rsaJwk(2048, 3),
        'an RSA key must have an odd public exponent above 65536 (FIPS 186-5)',
      ],
      ['ES256', ecJwk('P-384'), 'a key for ES256 must be an EC P-256 key'],
      ['ES256', okpJwk('ed25519'), 'a key for ES256 must be an EC P-256 key'],
      ['EdDSA', okpJwk('x25519'), 'a key for EdDSA must be an OKP Ed25519 key'],
      [
        'ES256',
        { ...p256, d: other256.d },
        'the private and public members of the key do not match',
      ],
      ['ES256', { ...p256, x5c: ['MIIB'] }, 'key material must not carry x5c, x5u or jku members'],
      [
        'ES256',
        { ...p256, jku: 'https://example.com/jwks' },
        'key material must not carry x5c, x5u or jku members',
      ],
      [
        'HS256',
        { kty: 'oct', k: Buffer.alloc(16, 1).toString('base64url') },
        'a key for HS256 must be a 256-bit oct key',
      ],
      ['HS256', { kty: 'oct', k: 'a+b/c=' }, 'JWK key members must be base64url strings'],
    ];
    const before = (await call('GET', '/jwks?pageSize=1000')).json();
    for (const [alg, jwk, detail] of REFUSED) {
      const res = await create({ name: uniqueName('byok-bad'), use: 'sig', alg, jwk });
      expect({ status: res.status, body: res.json() }, detail).toEqual({
        status: 400,
        body: materialProblem(detail),
      });
    }
    expect((await call('GET', '/jwks?pageSize=1000')).json()).toEqual(before);
    const set = await created({ name: uniqueName('byok-rotate'), use: 'sig', alg: 'ES256' });
    const bad = await call('POST', `/jwks/${set.id}/rotate`, {
      json: { jwk: ecJwk('P-521') },
    });
    expect({ status: bad.status, body: bad.json() }).toEqual({
      status: 400,
      body: materialProblem('a key for ES256 must be an EC P-256 key'),
    });
    expect((await call('GET', `/jwks/${set.id}`)).json()).toEqual(set);
  });
});
