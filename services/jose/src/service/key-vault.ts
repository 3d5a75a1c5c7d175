// Custody of version private parts: sealing a private JWK under the barrier (view
// `jose/<tenant>`, AAD naming tenant, set and version, so a sealed JWK moved to another row or
// tenant does not open) and unsealing it into jose keys, kept in a bounded LRU so a hot version
// costs neither a barrier decrypt nor a key import.
import { BarrierError, createKeyCache, type Barrier } from '@cryptoutil/barrier';
import { loadJoseKeys, type JoseKeys } from '@cryptoutil/jwa';
import type { JWK } from 'jose';
import { partsOf, versionAad, type KeySetSpec, type SealedKeyVersion } from '../domain/key-set.js';

export interface LoadedVersion {
  readonly setId: string;
  readonly version: number;
  readonly kid: string;
  readonly keys: JoseKeys;
}

export interface KeyVault {
  seal(
    owner: { readonly tenantId: string; readonly setId: string; readonly version: number },
    privateJwk: JWK,
  ): Promise<string>;
  load(version: SealedKeyVersion, spec: KeySetSpec): Promise<LoadedVersion>;
  /** What `load` would answer once it has loaded the version before, at once; else undefined. */
  loadedNow(version: SealedKeyVersion): LoadedVersion | undefined;
  /** Forget a destroyed set's versions. */
  forget(setId: string, versions: readonly number[]): void;
  /**
   * Throws BarrierError `sealed` (503) while the barrier is sealed, dropping every unsealed key
   * from memory: sealed means no crypto operation, cached keys included (ARCHITECTURE §4).
   */
  assertUnsealed(): void;
  /** False (and every unsealed key dropped from memory) while the barrier is sealed. */
  isUnsealed(): boolean;
}

/** The barrier view of one tenant's JOSE data; base64url keeps any tenant id a valid prefix. */
export function tenantViewPrefix(tenantId: string): string {
  return `jose/${Buffer.from(tenantId, 'utf8').toString('base64url')}`;
}

export function createKeyVault(barrier: Barrier, cacheSize: number): KeyVault {
  // Promises are cached so concurrent first uses of a version unseal it once; the value is kept
  // beside its promise once it settles, for callers that take it without a promise.
  const cache = createKeyCache<{ promise: Promise<LoadedVersion>; value?: LoadedVersion }>(
    cacheSize,
  );
  const encoder = new TextEncoder();
  const id = (setId: string, version: number) => `${setId}:${version}`;
  function isUnsealed(): boolean {
    if (barrier.state === 'unsealed') return true;
    cache.clear();
    return false;
  }
  function assertUnsealed(): void {
    if (!isUnsealed()) throw new BarrierError('sealed', 'the barrier is sealed');
  }
  return {
    seal(owner, privateJwk) {
      const view = barrier.view(tenantViewPrefix(owner.tenantId));
      return view.encrypt(encoder.encode(JSON.stringify(privateJwk)), versionAad(owner));
    },
    assertUnsealed,
    isUnsealed,
    load(version, spec) {
      assertUnsealed();
      const name = id(version.setId, version.version);
      const cached = cache.get(name);
      if (cached) return cached.promise;
      const entry: { promise: Promise<LoadedVersion>; value?: LoadedVersion } = {
        promise: (async () => {
          const view = barrier.view(tenantViewPrefix(version.tenantId));
          const bytes = await view.decrypt(version.privateJwe, versionAad(version));
          const jwk = JSON.parse(new TextDecoder().decode(bytes)) as JWK;
          const keys = await loadJoseKeys(partsOf(spec), jwk);
          return { setId: version.setId, version: version.version, kid: version.kid, keys };
        })(),
      };
      cache.set(name, entry);
      entry.promise.then(
        (loaded) => {
          entry.value = loaded;
        },
        // A failed load (sealed barrier) must not stay cached.
        () => {
          if (cache.get(name) === entry) cache.delete(name);
        },
      );
      return entry.promise;
    },
    loadedNow(version) {
      if (!isUnsealed()) return undefined;
      return cache.get(id(version.setId, version.version))?.value;
    },
    forget(setId, versions) {
      for (const version of versions) cache.delete(id(setId, version));
    },
  };
}
