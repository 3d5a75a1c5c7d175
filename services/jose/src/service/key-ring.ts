// Finds the keys an operation uses, with a short-lived cache of what the database says (a set
// and its current version; the version a kid names and whether it is retired), so a hot set
// costs one map lookup and no database read. A write through this instance clears the cache at
// once; writes by another instance sharing the database are seen within `ttlMs`.
import { createKeyCache, type KeyCache } from '@cryptoutil/barrier';
import { JoseError } from '../domain/jose-error.js';
import type { KeySet, SealedKeyVersion } from '../domain/key-set.js';
import type { JoseStore } from '../store/jose-store.js';
import type { KeyVault, LoadedVersion } from './key-vault.js';

export interface CurrentKey {
  readonly set: KeySet;
  readonly loaded: LoadedVersion;
}

export interface KidKey {
  readonly set: KeySet;
  readonly version: SealedKeyVersion;
}

export interface KeyRing {
  /** The set, or JoseError `not-found`. */
  set(tenantId: string, id: string): Promise<KeySet>;
  /** The set and its current version, loaded. */
  current(tenantId: string, id: string): Promise<CurrentKey>;
  /** The version holding `kid` (retired ones too) with its set, or undefined. */
  byKid(tenantId: string, kid: string): Promise<KidKey | undefined>;
  load(key: KidKey): Promise<LoadedVersion>;
  /** Forget everything cached (after a write through this instance). */
  invalidate(): void;
}

interface Entry<V> {
  readonly value: V;
  readonly at: number;
}

export interface KeyRingOptions {
  readonly store: JoseStore;
  readonly vault: KeyVault;
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly now?: () => number;
}

export function createKeyRing(options: KeyRingOptions): KeyRing {
  const { store, vault, ttlMs } = options;
  const now = options.now ?? Date.now;
  let sets: KeyCache<Entry<KeySet | undefined>>;
  let hot: KeyCache<Entry<CurrentKey>>;
  let kids: KeyCache<Entry<KidKey | undefined>>;
  const refreshing = new Map<string, Promise<CurrentKey>>();
  /** Bumped by every invalidate: reads that started before it are not cached. */
  let epoch = 0;
  const reset = () => {
    sets = createKeyCache(options.maxEntries);
    hot = createKeyCache(options.maxEntries);
    kids = createKeyCache(options.maxEntries);
    refreshing.clear();
  };
  reset();
  const scope = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;

  async function cached<V>(cache: KeyCache<Entry<V>>, name: string, read: () => Promise<V>) {
    const hit = cache.get(name);
    if (hit && now() - hit.at < ttlMs) return hit.value;
    const at = now();
    const started = epoch;
    const value = await read();
    if (started === epoch) cache.set(name, { value, at });
    return value;
  }

  const ring: KeyRing = {
    async set(tenantId, id) {
      const set = await cached(sets, scope(tenantId, id), () => store.sets.get(tenantId, id));
      if (!set) throw new JoseError('not-found', 'JWK set not found');
      return set;
    },
    current(tenantId, id) {
      const name = scope(tenantId, id);
      const hit = hot.get(name);
      // While sealed the hot entry is not used: the refresh below fails with 503.
      if (hit && now() - hit.at < ttlMs && vault.isUnsealed()) return Promise.resolve(hit.value);
      // One refresh per set at a time: requests in flight share one database read.
      const pending = refreshing.get(name);
      if (pending) return pending;
      const at = now();
      const started = epoch;
      const refresh = (async () => {
        const set = await ring.set(tenantId, id);
        const version = await store.versions.get(tenantId, id, set.currentVersion);
        if (!version) throw new JoseError('not-found', 'JWK set not found');
        const value = { set, loaded: await vault.load(version, set.spec) };
        if (started === epoch) hot.set(name, { value, at });
        return value;
      })().finally(() => {
        if (refreshing.get(name) === refresh) refreshing.delete(name);
      });
      refreshing.set(name, refresh);
      return refresh;
    },
    byKid(tenantId, kid) {
      return cached(kids, scope(tenantId, kid), () => store.versions.byKid(tenantId, kid));
    },
    load(key) {
      return vault.load(key.version, key.set.spec);
    },
    invalidate() {
      epoch += 1;
      reset();
    },
  };
  return ring;
}
