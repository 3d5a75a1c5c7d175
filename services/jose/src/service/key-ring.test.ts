// The key ring over a fake store and vault: what it caches and for how long (sets, current
// versions, kids, misses included), one refresh per set in flight, tenant scoping, and that a
// read begun before an invalidate is never cached after it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isJoseError } from '../domain/jose-error.js';
import type { KeySet, SealedKeyVersion } from '../domain/key-set.js';
import type { JoseStore } from '../store/jose-store.js';
import { createKeyRing } from './key-ring.js';
import type { KeyVault, LoadedVersion } from './key-vault.js';

const TTL = 1000;

const keySet = (tenantId: string, id: string, currentVersion = 1): KeySet => ({
  id,
  tenantId,
  name: id,
  description: '',
  spec: { use: 'sig', alg: 'ES256', shape: { kty: 'EC', crv: 'P-256' } },
  kidFormat: 'uuid',
  maxVersions: 3,
  publish: true,
  currentVersion,
  currentKid: `${id}-v${currentVersion}`,
  createdAt: 0,
  updatedAt: 0,
  rotatedAt: 0,
});

const sealed = (set: KeySet, version: number): SealedKeyVersion => ({
  setId: set.id,
  tenantId: set.tenantId,
  version,
  kid: `${set.id}-v${version}`,
  status: 'active',
  createdAt: 0,
  privateJwe: `jwe-${set.id}-${version}`,
});

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A store holding sets per tenant with their versions, and a vault that "loads" them. */
function fixture(sets: KeySet[]) {
  const byScope = new Map(sets.map((s) => [`${s.tenantId}/${s.id}`, s]));
  const getSet = vi.fn((tenantId: string, id: string) =>
    Promise.resolve(byScope.get(`${tenantId}/${id}`)),
  );
  const getVersion = vi.fn((tenantId: string, id: string, version: number) => {
    const set = byScope.get(`${tenantId}/${id}`);
    return Promise.resolve(set && version <= set.currentVersion ? sealed(set, version) : undefined);
  });
  const byKid = vi.fn((tenantId: string, kid: string) => {
    const set = sets.find((s) => s.tenantId === tenantId && kid.startsWith(`${s.id}-v`));
    return Promise.resolve(set && { set, version: sealed(set, Number(kid.split('-v')[1])) });
  });
  const load = vi.fn((version: SealedKeyVersion): Promise<LoadedVersion> =>
    Promise.resolve({ setId: version.setId, version: version.version, kid: version.kid, keys: {} }),
  );
  const store = {
    sets: { get: getSet },
    versions: { get: getVersion, byKid },
  } as unknown as JoseStore;
  const vault = { load, isUnsealed: () => true } as unknown as KeyVault;
  let clock = 0;
  const ring = createKeyRing({ store, vault, ttlMs: TTL, maxEntries: 100, now: () => clock });
  return {
    ring,
    store,
    vault,
    getSet,
    getVersion,
    byKid,
    load,
    byScope,
    advance: (ms: number) => (clock += ms),
  };
}

describe('set', () => {
  it('reads a set once per ttl', async () => {
    const { ring, getSet, advance } = fixture([keySet('t', 's')]);
    expect(await ring.set('t', 's')).toEqual(keySet('t', 's'));
    advance(TTL - 1);
    await ring.set('t', 's');
    expect(getSet).toHaveBeenCalledTimes(1);
    advance(1);
    await ring.set('t', 's');
    expect(getSet).toHaveBeenCalledTimes(2);
  });

  it('throws not-found for a missing set, and caches the miss', async () => {
    const { ring, getSet } = fixture([]);
    for (let i = 0; i < 2; i += 1) {
      await expect(ring.set('t', 'nope')).rejects.toSatisfy(
        (err) => isJoseError(err, 'not-found') && (err as Error).message === 'JWK set not found',
      );
    }
    expect(getSet).toHaveBeenCalledTimes(1);
  });

  it('scopes sets by tenant', async () => {
    const { ring, getSet } = fixture([keySet('a', 's')]);
    await ring.set('a', 's');
    await expect(ring.set('b', 's')).rejects.toSatisfy((err) => isJoseError(err, 'not-found'));
    expect(getSet.mock.calls).toEqual([
      ['a', 's'],
      ['b', 's'],
    ]);
  });
});

describe('current', () => {
  it('loads the current version of the set, then serves it from cache for the ttl', async () => {
    const set = keySet('t', 's', 3);
    const { ring, getVersion, load, advance } = fixture([set]);
    const current = await ring.current('t', 's');
    expect(current.set).toEqual(set);
    expect(current.loaded).toEqual({ setId: 's', version: 3, kid: 's-v3', keys: {} });
    expect(getVersion).toHaveBeenCalledWith('t', 's', 3);
    expect(load).toHaveBeenCalledWith(sealed(set, 3), set.spec);
    advance(TTL - 1);
    expect(await ring.current('t', 's')).toBe(current);
    advance(1);
    expect(await ring.current('t', 's')).not.toBe(current);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares one refresh among concurrent callers', async () => {
    const { ring, getSet, getVersion, load } = fixture([keySet('t', 's')]);
    const gate = deferred<void>();
    const original = load.getMockImplementation()!;
    load.mockImplementationOnce(async (version) => {
      await gate.promise;
      return original(version);
    });
    const first = ring.current('t', 's');
    const second = ring.current('t', 's');
    expect(second).toBe(first);
    gate.resolve();
    const [a, b] = await Promise.all([first, second]);
    expect(b).toBe(a);
    expect(getSet).toHaveBeenCalledTimes(1);
    expect(getVersion).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not share a refresh between tenants', async () => {
    const { ring, load } = fixture([keySet('a', 's'), keySet('b', 's')]);
    const [a, b] = await Promise.all([ring.current('a', 's'), ring.current('b', 's')]);
    expect(a.set.tenantId).toBe('a');
    expect(b.set.tenantId).toBe('b');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('throws not-found for a missing set or a missing current version', async () => {
    const { ring, byScope } = fixture([]);
    await expect(ring.current('t', 's')).rejects.toSatisfy((err) => isJoseError(err, 'not-found'));
    const gone = fixture([keySet('t', 's', 2)]);
    gone.getVersion.mockResolvedValueOnce(undefined);
    await expect(gone.ring.current('t', 's')).rejects.toSatisfy(
      (err) => isJoseError(err, 'not-found') && (err as Error).message === 'JWK set not found',
    );
    expect(byScope.size).toBe(0);
  });

  it('does not keep a failed refresh: the next call tries again', async () => {
    const { ring, load } = fixture([keySet('t', 's')]);
    load.mockRejectedValueOnce(new Error('barrier sealed'));
    await expect(ring.current('t', 's')).rejects.toThrow('barrier sealed');
    await expect(ring.current('t', 's')).resolves.toMatchObject({ loaded: { version: 1 } });
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('currentCached', () => {
  it('answers only what current has cached and fresh, with no read and no promise', async () => {
    const { ring, vault, getSet, advance } = fixture([keySet('t', 's')]);
    expect(ring.currentCached('t', 's')).toBeUndefined();
    const current = await ring.current('t', 's');
    expect(ring.currentCached('t', 's')).toBe(current);
    expect(ring.currentCached('other', 's')).toBeUndefined();
    // While the barrier is sealed nothing cached is handed out.
    Object.assign(vault, { isUnsealed: () => false });
    expect(ring.currentCached('t', 's')).toBeUndefined();
    Object.assign(vault, { isUnsealed: () => true });
    expect(ring.currentCached('t', 's')).toBe(current);
    advance(TTL);
    expect(ring.currentCached('t', 's')).toBeUndefined();
    ring.invalidate();
    expect(ring.currentCached('t', 's')).toBeUndefined();
    expect(getSet).toHaveBeenCalledTimes(1);
  });
});

describe('byKid', () => {
  it('finds the version and its set, once per ttl', async () => {
    const set = keySet('t', 's', 2);
    const { ring, byKid, advance } = fixture([set]);
    expect(await ring.byKid('t', 's-v1')).toEqual({ set, version: sealed(set, 1) });
    await ring.byKid('t', 's-v1');
    expect(byKid).toHaveBeenCalledTimes(1);
    advance(TTL);
    await ring.byKid('t', 's-v1');
    expect(byKid).toHaveBeenCalledTimes(2);
  });

  it('answers a cached kid at once with byKidCached, and its loaded key with loadedNow', async () => {
    const set = keySet('t', 's', 2);
    const { ring, vault, byKid, advance } = fixture([set]);
    expect(ring.byKidCached('t', 's-v1')).toBeUndefined();
    const found = await ring.byKid('t', 's-v1');
    expect(ring.byKidCached('t', 's-v1')).toBe(found);
    expect(ring.byKidCached('other', 's-v1')).toBeUndefined();
    const loaded = { setId: 's', version: 1, kid: 's-v1', keys: {} };
    Object.assign(vault, { loadedNow: () => loaded });
    expect(ring.loadedNow(found as NonNullable<typeof found>)).toBe(loaded);
    advance(TTL);
    expect(ring.byKidCached('t', 's-v1')).toBeUndefined();
    expect(byKid).toHaveBeenCalledTimes(1);
  });

  it('caches an unknown kid as undefined, per tenant', async () => {
    const { ring, byKid } = fixture([keySet('a', 's')]);
    expect(await ring.byKid('b', 's-v1')).toBeUndefined();
    expect(await ring.byKid('b', 's-v1')).toBeUndefined();
    expect(await ring.byKid('a', 's-v1')).toBeDefined();
    expect(byKid.mock.calls).toEqual([
      ['b', 's-v1'],
      ['a', 's-v1'],
    ]);
  });
});

describe('load', () => {
  it('asks the vault for the version with its set’s spec', async () => {
    const set = keySet('t', 's', 2);
    const { ring, load } = fixture([set]);
    const found = (await ring.byKid('t', 's-v2'))!;
    expect(await ring.load(found)).toEqual({ setId: 's', version: 2, kid: 's-v2', keys: {} });
    expect(load).toHaveBeenCalledWith(sealed(set, 2), set.spec);
  });
});

describe('invalidate', () => {
  it('forgets sets, current versions and kids at once', async () => {
    const { ring, getSet, byKid, load } = fixture([keySet('t', 's')]);
    await ring.set('t', 's');
    await ring.current('t', 's');
    await ring.byKid('t', 's-v1');
    ring.invalidate();
    await ring.set('t', 's');
    await ring.current('t', 's');
    await ring.byKid('t', 's-v1');
    // current() reads its set through set(), cached by then both times.
    expect(getSet).toHaveBeenCalledTimes(2);
    expect(load).toHaveBeenCalledTimes(2);
    expect(byKid).toHaveBeenCalledTimes(2);
  });

  it('does not cache a set read that began before it', async () => {
    const { ring, getSet, byScope } = fixture([keySet('t', 's')]);
    const gate = deferred<KeySet | undefined>();
    getSet.mockImplementationOnce(() => gate.promise);
    const stale = ring.set('t', 's');
    ring.invalidate();
    gate.resolve(byScope.get('t/s'));
    await stale;
    await ring.set('t', 's');
    expect(getSet).toHaveBeenCalledTimes(2);
  });

  it('does not cache a current version loaded across it, nor share it after', async () => {
    const { ring, load } = fixture([keySet('t', 's')]);
    const gate = deferred<void>();
    const original = load.getMockImplementation()!;
    load.mockImplementationOnce(async (version) => {
      await gate.promise;
      return original(version);
    });
    const stale = ring.current('t', 's');
    ring.invalidate();
    const fresh = ring.current('t', 's');
    expect(fresh).not.toBe(stale);
    gate.resolve();
    await Promise.all([stale, fresh]);
    const again = await ring.current('t', 's');
    expect(again).toBe(await fresh);
    expect(load).toHaveBeenCalledTimes(2);
  });
});

describe('the default clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires entries by Date.now when no clock is given', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
    const { store, vault, getSet } = fixture([keySet('t', 's')]);
    const ring = createKeyRing({ store, vault, ttlMs: TTL, maxEntries: 10 });
    await ring.set('t', 's');
    vi.setSystemTime(1_700_000_000_000 + TTL - 1);
    await ring.set('t', 's');
    expect(getSet).toHaveBeenCalledTimes(1);
    vi.setSystemTime(1_700_000_000_000 + TTL);
    await ring.set('t', 's');
    expect(getSet).toHaveBeenCalledTimes(2);
  });
});
