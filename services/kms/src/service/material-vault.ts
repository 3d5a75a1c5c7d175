// Custody of material keys' private parts: sealing a private JWK under the barrier (view
// `kms/<tenant>`, AAD naming tenant, elastic key and version, so a stored JWE moved to another
// row or tenant does not open) and unsealing it into a LoadedKey, kept in a bounded LRU so a
// hot key costs neither a barrier decrypt nor a key import.
import { BarrierError, createKeyCache, type Barrier } from '@cryptoutil/barrier';
import { loadKey, type LoadedKey } from '../crypto/index.js';
import type { ElasticKeyAlgorithm } from '../domain/algorithms.js';
import { materialAad, type SealedMaterialKey } from '../domain/material-key.js';

export interface MaterialVault {
  seal(
    owner: { readonly tenantId: string; readonly elasticKeyId: string; readonly id: string },
    privateJwk: object,
  ): Promise<string>;
  load(key: SealedMaterialKey, algorithm: ElasticKeyAlgorithm): Promise<LoadedKey>;
  /**
   * Throws BarrierError `sealed` (503) while the barrier is sealed, dropping every unsealed key
   * from memory: sealed means no crypto operation, cached keys included (ARCHITECTURE §4).
   */
  assertUnsealed(): void;
  /** False (and every unsealed key dropped from memory) while the barrier is sealed. */
  isUnsealed(): boolean;
}

/** The barrier view of one tenant's KMS data; base64url keeps any tenant id a valid prefix. */
export function tenantViewPrefix(tenantId: string): string {
  return `kms/${Buffer.from(tenantId, 'utf8').toString('base64url')}`;
}

export function createMaterialVault(barrier: Barrier, cacheSize: number): MaterialVault {
  // Promises are cached so concurrent first uses of a key unseal it once.
  const cache = createKeyCache<Promise<LoadedKey>>(cacheSize);
  const encoder = new TextEncoder();
  function isUnsealed(): boolean {
    if (barrier.state === 'unsealed') return true;
    cache.clear();
    return false;
  }
  function assertUnsealed(): void {
    if (!isUnsealed()) throw new BarrierError('sealed', 'the barrier is sealed');
  }
  return {
    assertUnsealed,
    isUnsealed,
    seal(owner, privateJwk) {
      const view = barrier.view(tenantViewPrefix(owner.tenantId));
      return view.encrypt(encoder.encode(JSON.stringify(privateJwk)), materialAad(owner));
    },
    load(key, algorithm) {
      assertUnsealed();
      const cached = cache.get(key.id);
      if (cached) return cached;
      const loading = (async () => {
        const view = barrier.view(tenantViewPrefix(key.tenantId));
        const bytes = await view.decrypt(key.privateJwe, materialAad(key));
        return loadKey(algorithm, JSON.parse(new TextDecoder().decode(bytes)) as object);
      })();
      cache.set(key.id, loading);
      // A failed load (sealed barrier) must not stay cached.
      loading.catch(() => {
        cache.delete(key.id);
      });
      return loading;
    },
  };
}
