// Finds the keys an operation uses, with a short-lived cache of what the database says (a set
// and its current version; the version a kid names and whether it is retired), so a hot set
// costs one map lookup and no database read. A write through this instance clears the cache at
// once; writes by another instance sharing the database are seen within `ttlMs`.
import { createFreshCache } from '@cryptoutil/barrier';
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
  /** `current` when it is cached and fresh (no read, no promise), else undefined. */
  currentCached(tenantId: string, id: string): CurrentKey | undefined;
  /** The version holding `kid` (retired ones too) with its set, or undefined. */
  byKid(tenantId: string, kid: string): Promise<KidKey | undefined>;
  load(key: KidKey): Promise<LoadedVersion>;
  /** `byKid` when it is cached and fresh and names a version, else undefined. */
  byKidCached(tenantId: string, kid: string): KidKey | undefined;
  /** `load` when the version is loaded already (and the barrier unsealed), else undefined. */
  loadedNow(key: KidKey): LoadedVersion | undefined;
  /** Forget everything cached (after a write through this instance). */
  invalidate(): void;
}

export interface KeyRingOptions {
  readonly store: JoseStore;
  readonly vault: KeyVault;
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly now?: () => number;
}

export function createKeyRing(options: KeyRingOptions): KeyRing {
  const { store, vault } = options;
  const fresh = { maxEntries: options.maxEntries, ttlMs: options.ttlMs, now: options.now };
  const sets = createFreshCache<KeySet | undefined>(fresh);
  const hot = createFreshCache<CurrentKey>(fresh);
  const kids = createFreshCache<KidKey | undefined>(fresh);
  const scope = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;

  const ring: KeyRing = {
    async set(tenantId, id) {
      const set = await sets.get(scope(tenantId, id), () => store.sets.get(tenantId, id));
      if (!set) throw new JoseError('not-found', 'JWK set not found');
      return set;
    },
    current(tenantId, id) {
      // While sealed the hot entry is not used: the read fails with 503 in vault.load.
      return hot.get(
        scope(tenantId, id),
        async () => {
          const set = await ring.set(tenantId, id);
          const version = await store.versions.get(tenantId, id, set.currentVersion);
          if (!version) throw new JoseError('not-found', 'JWK set not found');
          return { set, loaded: await vault.load(version, set.spec) };
        },
        () => vault.isUnsealed(),
      );
    },
    currentCached(tenantId, id) {
      return hot.peek(scope(tenantId, id), () => vault.isUnsealed());
    },
    byKid(tenantId, kid) {
      return kids.get(scope(tenantId, kid), () => store.versions.byKid(tenantId, kid));
    },
    load(key) {
      return vault.load(key.version, key.set.spec);
    },
    byKidCached(tenantId, kid) {
      return kids.peek(scope(tenantId, kid));
    },
    loadedNow(key) {
      return vault.loadedNow(key.version);
    },
    invalidate() {
      sets.clear();
      hot.clear();
      kids.clear();
    },
  };
  return ring;
}
