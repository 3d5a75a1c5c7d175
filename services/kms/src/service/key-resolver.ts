// Finds the keys an operation uses, with a short-lived cache of what the database says about
// them (the elastic key's row, which version is primary, whether a kid is still active), so a
// hot key costs no database read. Writes through this instance invalidate at once; writes by
// another instance sharing the database are seen within `ttlMs`.
import { createFreshCache } from '@cryptoutil/barrier';
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

export interface KeyResolverOptions {
  readonly store: KmsStore;
  readonly vault: MaterialVault;
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly now?: () => number;
}

export function createKeyResolver(options: KeyResolverOptions): KeyResolver {
  const { store, vault } = options;
  const fresh = { maxEntries: options.maxEntries, ttlMs: options.ttlMs, now: options.now };
  const keys = createFreshCache<ElasticKey | undefined>(fresh);
  const versions = createFreshCache<SealedMaterialKey | undefined>(fresh);
  const hot = createFreshCache<{ key: ElasticKey; primary: LoadedKey }>(fresh);
  const scope = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;

  const resolver: KeyResolver = {
    activePrimary(tenantId, id) {
      // One cache entry answers the hot path; while sealed it is not used, and the read fails
      // with 503 in vault.load.
      return hot.get(
        scope(tenantId, id),
        async () => {
          const key = await resolver.activeKey(tenantId, id);
          const material = await store.materialKeys.primary(tenantId, id);
          if (!material) {
            throw new KmsError('key-not-active', 'the elastic key has no active version');
          }
          return { key, primary: await vault.load(material, key.algorithm) };
        },
        () => vault.isUnsealed(),
      );
    },
    async activeKey(tenantId, id) {
      const key = await keys.get(scope(tenantId, id), () => store.elasticKeys.get(tenantId, id));
      if (!key) throw new KmsError('not-found', 'elastic key not found');
      if (key.status !== 'active') {
        throw new KmsError('key-not-active', `the elastic key is ${key.status}`);
      }
      return key;
    },
    async byKid(key, kid) {
      const material = await versions.get(scope(key.tenantId, `${key.id}\u0000${kid}`), () =>
        store.materialKeys.get(key.tenantId, key.id, kid),
      );
      if (material?.status !== 'active') return undefined;
      return vault.load(material, key.algorithm);
    },
    invalidate(tenantId, elasticKeyId, kid) {
      hot.delete(scope(tenantId, elasticKeyId));
      keys.delete(scope(tenantId, elasticKeyId));
      if (kid !== undefined) versions.delete(scope(tenantId, `${elasticKeyId}\u0000${kid}`));
    },
  };
  return resolver;
}
