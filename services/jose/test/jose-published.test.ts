// The published JWKS documents (docs/jose.md "Published JWKS"), fetched as any relying party
// would, without credentials: /.well-known/jwks.json lists the current and previous public keys
// of every published set of every tenant, never an oct set or an unpublished one; the
// Cache-Control max-age never reaches past the next scheduled rotation and is capped by
// jose.jwks.maxAgeSeconds; a strong ETag answers If-None-Match with 304; /.well-known/jwks/{id}.json
// serves one published set. Documents are not cached between calls here (jose.cache.ttlMs: 0).
import type { TestResponse } from '@cryptoutil/server/testing';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJose, type JoseHarness } from './support/jose-harness.js';

const PROBLEM = 'urn:cryptoutil:problem:';
/** An answer's status and problem type (without the URN prefix), to compare in one line. */
const refusal = (res: TestResponse) => [res.status, String(res.json().type).replace(PROBLEM, '')];
const UNKNOWN = '01900000-0000-7000-8000-000000000000';
const JWK_SET_TYPE = 'application/jwk-set+json';

interface SetJson {
  id: string;
  currentKid: string;
}

let jose: JoseHarness;
beforeAll(async () => {
  jose = await startJose({ config: { jose: { cache: { ttlMs: 0 } } } });
});
afterAll(() => jose.service.shutdown('test done'));

const wellKnown = (path: string, headers: Record<string, string> = {}) =>
  jose.call('GET', `/.well-known${path}`, { as: 'nobody', prefix: '', headers });
const keysOf = (res: TestResponse) => res.json<{ keys: JWK[] }>().keys;
async function createSet(body: Record<string, unknown>, as = 'alice'): Promise<SetJson> {
  const res = await jose.call('POST', '/jwks', { json: body, as });
  expect(res.status, res.text).toBe(201);
  return res.json<SetJson>();
}
/** The set's current and previous public keys, newest first, as its versions answer them. */
async function publicKeys(id: string, as = 'alice'): Promise<JWK[]> {
  const res = await jose.call('GET', `/jwks/${id}/versions`, { as });
  return res
    .json<{ items: { status: string; publicJwk: JWK }[] }>()
    .items.filter((v) => v.status !== 'retired')
    .map((v) => v.publicJwk);
}
const maxAgeOf = (res: TestResponse) =>
  Number(/^public, max-age=(\d+)$/.exec(String(res.headers['cache-control']))?.[1]);

describe('/.well-known/jwks.json', () => {
  it('lists the published sets of every tenant, never oct or unpublished sets', async () => {
    const empty = await wellKnown('/jwks.json');
    expect({ status: empty.status, body: empty.json() }).toEqual({
      status: 200,
      body: { keys: [] },
    });
    const es = await createSet({ name: 'pub-es', use: 'sig', alg: 'ES256' });
    const hidden = await createSet({
      name: 'pub-hidden',
      use: 'sig',
      alg: 'ES384',
      publish: false,
    });
    const hs = await createSet({ name: 'pub-hs', use: 'sig', alg: 'HS256' });
    const kw = await createSet({ name: 'pub-kw', use: 'enc', alg: 'A256KW' });
    const bobs = await createSet({ name: 'pub-bob', use: 'sig', alg: 'EdDSA' }, 'bob');
    const rsa = await createSet({ name: 'pub-rsa', use: 'enc', alg: 'RSA-OAEP' });
    const res = await wellKnown('/jwks.json');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type']).split(';')[0]).toBe(JWK_SET_TYPE);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const expected = [
      ...(await publicKeys(es.id)),
      ...(await publicKeys(bobs.id, 'bob')),
      ...(await publicKeys(rsa.id)),
    ];
    expect(res.json()).toEqual({ keys: expected });
    for (const key of keysOf(res)) {
      expect(Object.keys(key)).toEqual(expect.arrayContaining(['kid', 'alg', 'use']));
    }
    const kids = keysOf(res).map((k) => k.kid);
    for (const set of [hidden, hs, kw]) expect(kids).not.toContain(set.currentKid);
    // Unpublishing and republishing take effect at once.
    await jose.call('PATCH', `/jwks/${es.id}`, { json: { publish: false } });
    expect(keysOf(await wellKnown('/jwks.json')).map((k) => k.kid)).not.toContain(es.currentKid);
    await jose.call('PATCH', `/jwks/${hidden.id}`, { json: { publish: true } });
    expect(keysOf(await wellKnown('/jwks.json')).map((k) => k.kid)).toContain(hidden.currentKid);
  });

  it('keeps an old key listed after a rotation until it is retired', async () => {
    const set = await createSet({ name: 'pub-rotating', use: 'sig', alg: 'PS256' });
    const kids = async () => keysOf(await wellKnown('/jwks.json')).map((k) => k.kid);
    expect(await kids()).toContain(set.currentKid);
    const rotated = await jose.call('POST', `/jwks/${set.id}/rotate`, { json: {} });
    const newKid = rotated.json<{ kid: string }>().kid;
    const both = await kids();
    expect(both).toContain(newKid);
    expect(both).toContain(set.currentKid);
    expect(both.indexOf(newKid)).toBe(both.indexOf(set.currentKid) - 1);
    const one = await wellKnown(`/jwks/${set.id}.json`);
    expect(keysOf(one).map((k) => k.kid)).toEqual([newKid, set.currentKid]);
    await jose.call('POST', `/jwks/${set.id}/versions/1/retire`, { json: {} });
    const after = await kids();
    expect(after).toContain(newKid);
    expect(after).not.toContain(set.currentKid);
    expect(keysOf(await wellKnown(`/jwks/${set.id}.json`)).map((k) => k.kid)).toEqual([newKid]);
  });

  it('answers If-None-Match with 304 while the document is unchanged, under a strong ETag', async () => {
    await createSet({ name: 'pub-etag', use: 'sig', alg: 'ES512' });
    const first = await wellKnown('/jwks.json');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[^"]+"$/);
    expect((await wellKnown('/jwks.json')).headers.etag).toBe(etag);
    for (const match of [etag, `"other", ${etag}`]) {
      const cached = await wellKnown('/jwks.json', { 'if-none-match': match });
      expect({ status: cached.status, text: cached.text }, match).toEqual({
        status: 304,
        text: '',
      });
      expect(cached.headers.etag).toBe(etag);
      expect(cached.headers['cache-control']).toBe(first.headers['cache-control']);
    }
    const fresh = await wellKnown('/jwks.json', { 'if-none-match': '"other"' });
    expect({ status: fresh.status, text: fresh.text }).toEqual({ status: 200, text: first.text });
    await createSet({ name: 'pub-etag-2', use: 'sig', alg: 'ES256' });
    const changed = await wellKnown('/jwks.json', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('compares If-None-Match weakly and honours * (RFC 9110 §13.1.2)', async () => {
    await createSet({ name: 'pub-weak', use: 'sig', alg: 'ES256' });
    const etag = String((await wellKnown('/jwks.json')).headers.etag);
    for (const match of [`W/${etag}`, '*']) {
      const cached = await wellKnown('/jwks.json', { 'if-none-match': match });
      expect({ status: cached.status, text: cached.text }, match).toEqual({
        status: 304,
        text: '',
      });
    }
  });
});

describe('Cache-Control', () => {
  it('is public, max-age=300 by default, lowered to the time left before a scheduled rotation', async () => {
    expect((await wellKnown('/jwks.json')).headers['cache-control']).toBe('public, max-age=300');
    // A rotation period on an unpublished set, or one longer than the cap, changes nothing.
    await createSet({
      name: 'cc-hidden',
      use: 'sig',
      alg: 'ES256',
      publish: false,
      rotationPeriodSeconds: 60,
    });
    await createSet({ name: 'cc-long', use: 'sig', alg: 'ES256', rotationPeriodSeconds: 3600 });
    expect((await wellKnown('/jwks.json')).headers['cache-control']).toBe('public, max-age=300');
    const soon = await createSet({
      name: 'cc-soon',
      use: 'sig',
      alg: 'ES256',
      rotationPeriodSeconds: 120,
    });
    const started = Date.now();
    for (const path of ['/jwks.json', `/jwks/${soon.id}.json`]) {
      const res = await wellKnown(path);
      const elapsed = Math.ceil((Date.now() - started) / 1000);
      expect(maxAgeOf(res), path).toBeLessThanOrEqual(120);
      expect(maxAgeOf(res), path).toBeGreaterThanOrEqual(120 - elapsed - 1);
    }
  });

  it('honours jose.jwks.maxAgeSeconds', async () => {
    const capped = await startJose({
      config: { jose: { cache: { ttlMs: 0 }, jwks: { maxAgeSeconds: 30 } } },
    });
    try {
      const get = () => capped.call('GET', '/.well-known/jwks.json', { as: 'nobody', prefix: '' });
      expect((await get()).headers['cache-control']).toBe('public, max-age=30');
      const res = await capped.call('POST', '/jwks', {
        json: { name: 'cap', use: 'sig', alg: 'ES256', rotationPeriodSeconds: 60 },
      });
      expect(res.status).toBe(201);
      expect((await get()).headers['cache-control']).toBe('public, max-age=30');
    } finally {
      await capped.service.shutdown('test done');
    }
  });
});

describe('/.well-known/jwks/{id}.json', () => {
  it('serves one published set of any tenant, and 404 for anything else', async () => {
    const mine = await createSet({ name: 'one-mine', use: 'sig', alg: 'EdDSA' });
    const bobs = await createSet({ name: 'one-bob', use: 'enc', alg: 'ECDH-ES' }, 'bob');
    const hidden = await createSet({
      name: 'one-hidden',
      use: 'sig',
      alg: 'ES256',
      publish: false,
    });
    const oct = await createSet({ name: 'one-oct', use: 'sig', alg: 'HS512' });
    for (const [set, as] of [
      [mine, 'alice'],
      [bobs, 'bob'],
    ] as const) {
      const res = await wellKnown(`/jwks/${set.id}.json`);
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type']).split(';')[0]).toBe(JWK_SET_TYPE);
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      expect(res.headers.etag).toMatch(/^"[^"]+"$/);
      expect(res.json()).toEqual({ keys: await publicKeys(set.id, as) });
      const again = await wellKnown(`/jwks/${set.id}.json`, {
        'if-none-match': String(res.headers.etag),
      });
      expect(again.status).toBe(304);
    }
    for (const path of [
      `/jwks/${hidden.id}.json`,
      `/jwks/${oct.id}.json`,
      `/jwks/${UNKNOWN}.json`,
      `/jwks/${mine.id}`,
      `/jwks/${mine.id}.jwk`,
      '/jwks/not-a-uuid.json',
      '/jwks/.json',
    ]) {
      const res = await wellKnown(path);
      expect(refusal(res), path).toEqual([404, 'not-found']);
    }
  });
});
