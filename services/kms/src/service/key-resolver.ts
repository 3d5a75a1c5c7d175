// Finds the keys an operation uses, with a short-lived cache of what the database says about
// them (the elastic key's row, which version is primary, whether a kid is still active), so a
// hot key costs no database read. Writes through this instance invalidate at once; writes by
// another instance sharing the database are seen within `ttlMs`.
import { createKeyCache } from '@cryptoutil/barrier';
import type { LoadedKey } from '../crypto/index.js';
import type { ElasticKey } from '../domain/elastic-key.js';
import { KmsError } from '../domain/kms-error.js';
import type { KmsStore } from '../domain/kms-store.js';
import type { SealedMaterialKey } from '../domain/material-key.js';
import type { MaterialVault } from './material-vault.js';

export interface KeyResolver {
  /** The elastic key, or KmsError `not-found`; `key-not-active` unless it is active. */
  activeKey(tenantId: string, id: string): Promise<ElasticKey>;
  /**
   * activeKey and its newest active version, loaded (KmsError `key-not-active` when there is
   * none), answered from one cache entry while it is fresh: the hot path of encrypt, sign and
   * generate costs one map lookup.
   */
  activePrimary(tenantId: string, id: string): Promise<{ key: ElasticKey; primary: LoadedKey }>;
  /** The version `kid` of `key` when it exists and is active, else undefined. */
  byKid(key: ElasticKey, kid: string): Promise<LoadedKey | undefined>;
  /** Forget what is cached about one elastic key and, given, one of its versions. */
  invalidate(tenantId: string, elasticKeyId: string, kid?: string): void;
}

interface Entry<V> {
  readonly value: V;
  readonly at: number;
}

export interface KeyResolverOptions {
  readonly store: KmsStore;
  readonly vault: MaterialVault;
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly now?: () => number;
}

export function createKeyResolver(options: KeyResolverOptions): KeyResolver {
  const { store, vault, ttlMs } = options;
  const now = options.now ?? Date.now;
  const keys = createKeyCache<Entry<ElasticKey | undefined>>(options.maxEntries);
  const versions = createKeyCache<Entry<SealedMaterialKey | undefined>>(options.maxEntries);
  const hot = createKeyCache<Entry<{ key: ElasticKey; primary: LoadedKey }>>(options.maxEntries);
  const refreshing = new Map<string, Promise<{ key: ElasticKey; primary: LoadedKey }>>();
  /** Bumped by every invalidate: reads that started before it are not cached. */
  let epoch = 0;
  const scope = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;

  async function cached<V>(
    cache: ReturnType<typeof createKeyCache<Entry<V>>>,
    id: string,
    read: () => Promise<V>,
  ): Promise<V> {
    const hit = cache.get(id);
    if (hit && now() - hit.at < ttlMs) return hit.value;
    // Timestamped before the read, and dropped when a write through this instance overtook it.
    const at = now();
    const started = epoch;
    const value = await read();
    if (started === epoch) cache.set(id, { value, at });
    return value;
  }

  const resolver: KeyResolver = {
    activePrimary(tenantId, id) {
      const name = scope(tenantId, id);
      const hit = hot.get(name);
      // While sealed the hot entry is not used: the refresh below fails with 503.
      if (hit && now() - hit.at < ttlMs && vault.isUnsealed()) return Promise.resolve(hit.value);
      // One refresh per key at a time: when the entry expires under load, the requests in
      // flight share one database read instead of each making their own.
      const pending = refreshing.get(name);
      if (pending) return pending;
      const at = now();
      const started = epoch;
      const refresh = (async () => {
        const key = await resolver.activeKey(tenantId, id);
        const material = await store.materialKeys.primary(tenantId, id);
        if (!material) {
          throw new KmsError('key-not-active', 'the elastic key has no active version');
        }
        const value = { key, primary: await vault.load(material, key.algorithm) };
        // A write through this instance meanwhile (invalidate) makes this answer stale.
        if (started === epoch) hot.set(name, { value, at });
        return value;
      })().finally(() => {
        if (refreshing.get(name) === refresh) refreshing.delete(name);
      });
      refreshing.set(name, refresh);
      return refresh;
    },
    async activeKey(tenantId, id) {
      const key = await cached(keys, scope(tenantId, id), () =>
        store.elasticKeys.get(tenantId, id),
      );
      if (!key) throw new KmsError('not-found', 'elastic key not found');
      if (key.status !== 'active') {
        throw new KmsError('key-not-active', `the elastic key is ${key.status}`);
      }
      return key;
    },
    async byKid(key, kid) {
      const material = await cached(versions, scope(key.tenantId, `${key.id}\u0000${kid}`), () =>
        store.materialKeys.get(key.tenantId, key.id, kid),
      );
      if (material?.status !== 'active') return undefined;
      return vault.load(material, key.algorithm);
    },
    invalidate(tenantId, elasticKeyId, kid) {
      epoch += 1;
      refreshing.delete(scope(tenantId, elasticKeyId));
      hot.delete(scope(tenantId, elasticKeyId));
      keys.delete(scope(tenantId, elasticKeyId));
      if (kid !== undefined) versions.delete(scope(tenantId, `${elasticKeyId}\u0000${kid}`));
    },
  };
  return resolver;
}
