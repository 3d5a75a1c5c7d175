// Custody of the CA private keys (ARCHITECTURE §4): each PKCS#8 key is sealed under the barrier
// view `ca/authorities` with an AAD naming the CA and the key's role, so a sealed key copied to
// another CA's row does not open; unsealed keys become non-extractable WebCrypto keys, kept in
// memory while the barrier is unsealed and dropped the moment it is sealed.
import { BarrierError, type Barrier } from '@cryptoutil/barrier';
import { exportPkcs8, importCaPrivateKey } from '../crypto/ca-keys.js';
import type { CryptoKey, SigningCa } from '../crypto/signing-ca.js';

export type KeyRole = 'ca' | 'ocsp';

export interface CaKeyVault {
  /** Seals a PKCS#8 private key for CA `caId` in `role`, then zeroes the bytes. */
  seal(caId: string, role: KeyRole, pkcs8: Uint8Array): Promise<string>;
  /** Exports an extractable key once and seals it. */
  sealKey(caId: string, role: KeyRole, privateKey: CryptoKey): Promise<string>;
  /** The signing CA for a sealed key and its certificate; cached until sealed or forgotten. */
  load(caId: string, role: KeyRole, certificate: Uint8Array, wrapped: string): Promise<SigningCa>;
  forget(caId: string, role: KeyRole): void;
  /** Throws BarrierError `sealed` (503), dropping every key from memory, while sealed. */
  assertUnsealed(): void;
}

const VIEW = 'ca/authorities';
const encoder = new TextEncoder();
const aadOf = (caId: string, role: KeyRole) => encoder.encode(`ca-key:${role}:${caId}`);

export function createCaKeyVault(barrier: Barrier): CaKeyVault {
  const loaded = new Map<string, { wrapped: string; ca: Promise<SigningCa> }>();
  const name = (caId: string, role: KeyRole) => `${role}:${caId}`;
  function assertUnsealed(): void {
    if (barrier.state === 'unsealed') return;
    loaded.clear();
    throw new BarrierError('sealed', 'the barrier is sealed');
  }
  async function seal(caId: string, role: KeyRole, pkcs8: Uint8Array): Promise<string> {
    try {
      return await barrier.view(VIEW).encrypt(pkcs8, aadOf(caId, role));
    } finally {
      pkcs8.fill(0);
    }
  }
  return {
    seal,
    async sealKey(caId, role, privateKey) {
      return seal(caId, role, await exportPkcs8(privateKey));
    },
    load(caId, role, certificate, wrapped) {
      assertUnsealed();
      const key = name(caId, role);
      const hit = loaded.get(key);
      if (hit !== undefined && hit.wrapped === wrapped) return hit.ca;
      const ca = (async () => {
        const pkcs8 = await barrier.view(VIEW).decrypt(wrapped, aadOf(caId, role));
        try {
          return { certificate, privateKey: await importCaPrivateKey(pkcs8, certificate) };
        } finally {
          pkcs8.fill(0);
        }
      })();
      loaded.set(key, { wrapped, ca });
      ca.catch(() => {
        if (loaded.get(key)?.ca === ca) loaded.delete(key);
      });
      return ca;
    },
    forget(caId, role) {
      loaded.delete(name(caId, role));
    },
    assertUnsealed,
  };
}
