// Prefix-scoped encryption for one consumer (a product, or a product's tenant), as Vault's
// BarrierView. Data is a JWE `dir`/`A256GCM` (RFC 7518 §4.5, §5.3) under the current content
// key, whose protected header carries `kid` (the content key) and `cu-view` (the prefix).
// The protected header is authenticated (RFC 7516 §5.1 step 14), so a ciphertext moved to
// another view fails. Caller AAD uses the JWE AAD member (RFC 7516 §7.2.1): the result is the
// compact form of that flattened JWE without the `aad` member, which the caller supplies again.
import {
  CompactEncrypt,
  FlattenedEncrypt,
  base64url,
  compactDecrypt,
  decodeProtectedHeader,
  flattenedDecrypt,
  type CompactJWEHeaderParameters,
  type FlattenedJWE,
} from 'jose';
import { BarrierError } from './barrier-error.js';
import type { AesKey } from './key-jwe.js';

export const VIEW_HEADER = 'cu-view';
const PREFIX = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9._-]+)*$/;
const algorithms = {
  keyManagementAlgorithms: ['dir'],
  contentEncryptionAlgorithms: ['A256GCM'],
};

export interface BarrierView {
  readonly prefix: string;
  encrypt(plaintext: Uint8Array, aad?: Uint8Array): Promise<string>;
  decrypt(jwe: string, aad?: Uint8Array): Promise<Uint8Array>;
}

/** What a view needs from the barrier: content keys, each call failing with `sealed`. */
export interface ContentKeys {
  current(): Promise<{ readonly kid: string; readonly key: AesKey }>;
  get(kid: string): Promise<AesKey | undefined>;
}

/** Throws TypeError for a malformed prefix: a programming error, not client input. */
export function assertViewPrefix(prefix: string): void {
  if (typeof prefix !== 'string' || prefix.length > 200 || !PREFIX.test(prefix)) {
    throw new TypeError(
      'view prefix must be 1-200 characters of [A-Za-z0-9._-] segments joined by /',
    );
  }
}

export function createBarrierView(prefix: string, keys: ContentKeys): BarrierView {
  assertViewPrefix(prefix);
  const failed = (): BarrierError => new BarrierError('decrypt-failed', 'decryption failed');
  return {
    prefix,
    async encrypt(plaintext, aad) {
      const { kid, key } = await keys.current();
      const header: CompactJWEHeaderParameters = {
        alg: 'dir',
        enc: 'A256GCM',
        kid,
        [VIEW_HEADER]: prefix,
      };
      if (!aad) return new CompactEncrypt(plaintext).setProtectedHeader(header).encrypt(key);
      const jwe = await new FlattenedEncrypt(plaintext)
        .setProtectedHeader(header)
        .setAdditionalAuthenticatedData(aad)
        .encrypt(key);
      return [jwe.protected, '', jwe.iv, jwe.ciphertext, jwe.tag].join('.');
    },
    async decrypt(jwe, aad) {
      const kid = headerKid(jwe, prefix);
      if (kid === undefined) throw failed();
      const key = await keys.get(kid);
      if (!key) throw failed();
      try {
        if (!aad) return (await compactDecrypt(jwe, key, algorithms)).plaintext;
        const [protectedHeader = '', , iv = '', ciphertext = '', tag = ''] = jwe.split('.');
        const flattened: FlattenedJWE = {
          protected: protectedHeader,
          iv,
          ciphertext,
          tag,
          aad: base64url.encode(aad),
        };
        return (await flattenedDecrypt(flattened, key, algorithms)).plaintext;
      } catch {
        throw failed();
      }
    },
  };
}

/** The content kid of a JWE made by the view `prefix`, or undefined. */
function headerKid(jwe: string, prefix: string): string | undefined {
  if (typeof jwe !== 'string' || jwe.split('.').length !== 5) return undefined;
  try {
    const header = decodeProtectedHeader(jwe);
    if (header[VIEW_HEADER] !== prefix || header.alg !== 'dir' || header.enc !== 'A256GCM') {
      return undefined;
    }
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}
