// The published JWKS documents over a fake store: body, count, ETag, a max-age that never
// reaches past a listed key's next rotation, the per-set document, and the ttl cache.
import { createHash } from 'node:crypto';
import type { JWK } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JoseStore } from '../store/jose-store.js';
import type { PublishedKey } from '../store/key-version-repo.js';
import { createPublishedJwks } from './published-jwks.js';

const NOW = 1_700_000_000_000;
const jwk = (kid: string): JWK => ({ kty: 'OKP', crv: 'Ed25519', x: `x-${kid}`, kid });
const key = (setId: string, kid: string, nextRotationAt?: number): PublishedKey => ({
  setId,
  publicJwk: jwk(kid),
  ...(nextRotationAt === undefined ? {} : { nextRotationAt }),
});

function fakeStore(keys: PublishedKey[]) {
  const published = vi.fn((setId?: string) =>
    Promise.resolve(setId === undefined ? keys : keys.filter((k) => k.setId === setId)),
  );
  return { store: { versions: { published } } as unknown as JoseStore, published };
}

function start(keys: PublishedKey[], options: { maxAgeSeconds?: number; ttlMs?: number } = {}) {
  let clock = NOW;
  const fake = fakeStore(keys);
  const jwks = createPublishedJwks({
    store: fake.store,
    maxAgeSeconds: options.maxAgeSeconds ?? 300,
    ttlMs: options.ttlMs ?? 1000,
    now: () => clock,
  });
  return { jwks, ...fake, advance: (ms: number) => (clock += ms) };
}

describe('document', () => {
  it('lists every published key of every set, with count and a strong ETag', async () => {
    const { jwks, published } = start([key('a', 'a1'), key('a', 'a0'), key('b', 'b1')]);
    const doc = await jwks.document();
    expect(published).toHaveBeenCalledWith(undefined);
    expect(doc).toBeDefined();
    expect(JSON.parse(doc!.body)).toEqual({ keys: [jwk('a1'), jwk('a0'), jwk('b1')] });
    expect(doc!.count).toBe(3);
    expect(doc!.maxAge).toBe(300);
    const digest = createHash('sha256').update(doc!.body).digest('base64url');
    expect(doc!.etag).toBe(`"${digest.slice(0, 27)}"`);
  });

  it('is an empty key list, not undefined, when nothing is published', async () => {
    const doc = await start([]).jwks.document();
    expect(doc).toMatchObject({ body: '{"keys":[]}', count: 0, maxAge: 300 });
  });

  it('lists one set’s keys for a set id', async () => {
    const { jwks, published } = start([key('a', 'a1'), key('b', 'b1'), key('b', 'b0')]);
    const doc = await jwks.document('b');
    expect(published).toHaveBeenCalledWith('b');
    expect(JSON.parse(doc!.body)).toEqual({ keys: [jwk('b1'), jwk('b0')] });
    expect(doc!.count).toBe(2);
  });

  it('is undefined for a set with no published key', async () => {
    await expect(start([key('a', 'a1')]).jwks.document('missing')).resolves.toBeUndefined();
  });

  it('gives the same ETag for the same body, another for another body', async () => {
    const keys = [key('a', 'a1')];
    const one = await start(keys).jwks.document();
    const two = await start(keys, { maxAgeSeconds: 60 }).jwks.document();
    const three = await start([key('a', 'a2')]).jwks.document();
    expect(two!.etag).toBe(one!.etag);
    expect(three!.etag).not.toBe(one!.etag);
    expect(one!.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  });
});

describe('document max-age', () => {
  it.each([
    ['no key rotates', [undefined], 300],
    ['a rotation beyond maxAgeSeconds', [NOW + 301_000], 300],
    ['the soonest rotation, whole seconds down', [NOW + 200_999, NOW + 120_500], 120],
    ['a rotation under a second away', [NOW + 999], 0],
    ['a rotation already due', [NOW - 5_000], 0],
  ])('%s', async (_what, rotations, maxAge) => {
    const keys = rotations.map((at, i) => key('a', `k${i}`, at));
    expect((await start(keys).jwks.document())!.maxAge).toBe(maxAge);
  });

  it('is capped by a smaller maxAgeSeconds', async () => {
    const doc = await start([key('a', 'k', NOW + 100_000)], { maxAgeSeconds: 30 }).jwks.document();
    expect(doc!.maxAge).toBe(30);
  });
});

describe('document cache', () => {
  it('builds once per ttl per document', async () => {
    const { jwks, published, advance } = start([key('a', 'a1')], { ttlMs: 1000 });
    const [first, again] = await Promise.all([jwks.document(), jwks.document()]);
    expect(again).toEqual(first);
    advance(999);
    expect(await jwks.document()).toEqual(first);
    expect(published).toHaveBeenCalledTimes(1);
    advance(1);
    await jwks.document();
    expect(published).toHaveBeenCalledTimes(2);
  });

  it('keeps the all-sets and per-set documents apart', async () => {
    const { jwks, published } = start([key('a', 'a1'), key('b', 'b1')]);
    const all = await jwks.document();
    const a = await jwks.document('a');
    expect(all!.count).toBe(2);
    expect(a!.count).toBe(1);
    await jwks.document();
    await jwks.document('a');
    expect(published.mock.calls).toEqual([[undefined], ['a']]);
  });

  it('caches an unpublished set’s undefined too', async () => {
    const { jwks, published } = start([]);
    await jwks.document('x');
    await jwks.document('x');
    expect(published).toHaveBeenCalledTimes(1);
  });

  it('rebuilds after invalidate', async () => {
    const { jwks, published } = start([key('a', 'a1')]);
    await jwks.document();
    await jwks.document('a');
    jwks.invalidate();
    await jwks.document();
    await jwks.document('a');
    expect(published).toHaveBeenCalledTimes(4);
  });

  it('does not keep a failed build', async () => {
    const { jwks, published } = start([key('a', 'a1')]);
    published.mockRejectedValueOnce(new Error('database down'));
    await expect(jwks.document()).rejects.toThrow('database down');
    await expect(jwks.document()).resolves.toMatchObject({ count: 1 });
    expect(published).toHaveBeenCalledTimes(2);
  });

  it('holds at most 1000 documents, starting over when full', async () => {
    const { jwks, published } = start([]);
    for (let i = 0; i < 1000; i += 1) await jwks.document(`set-${i}`);
    await jwks.document('set-0');
    expect(published).toHaveBeenCalledTimes(1000);
    await jwks.document('set-1000');
    await jwks.document('set-1');
    expect(published).toHaveBeenCalledTimes(1002);
  });
});

describe('the default clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('measures max-age and the ttl with Date.now when no clock is given', async () => {
    vi.useFakeTimers({ now: NOW });
    const { store, published } = fakeStore([key('a', 'k', NOW + 90_000)]);
    const jwks = createPublishedJwks({ store, maxAgeSeconds: 300, ttlMs: 1000 });
    expect((await jwks.document())!.maxAge).toBe(90);
    vi.setSystemTime(NOW + 30_000);
    expect((await jwks.document())!.maxAge).toBe(60);
    expect(published).toHaveBeenCalledTimes(2);
  });
});
