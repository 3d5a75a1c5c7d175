// A material key imported once into the forms jose's operations take, so the service can cache
// it and skip a JWK import per request. CryptoKeys are preferred (non-extractable, and 20-38%
// faster than raw bytes for dir/A256GCM); jose needs raw bytes only for AES-CBC-HMAC CEKs.
import { webcrypto } from 'node:crypto';
import { base64url, importJWK, type JWK } from 'jose';
import {
  toAlgorithmParts,
  type AlgorithmParts,
  type ContentEncryption,
  type ElasticKeyAlgorithm,
} from '../domain/algorithms.js';
import { toPublicJwk } from './key-shape.js';
import { materialSpec } from './material-generation.js';

type CryptoKey = webcrypto.CryptoKey;
/** A key as jose's encrypt/decrypt/sign/verify accept it. */
export type JoseKey = CryptoKey | Uint8Array;

export interface LoadedKey {
  readonly kid: string;
  readonly algorithm: ElasticKeyAlgorithm;
  readonly parts: AlgorithmParts;
  /** Encryption keys only: the public key, or the secret for symmetric algorithms. */
  readonly encryptKey?: JoseKey;
  readonly decryptKey?: JoseKey;
  /** Signing keys only. */
  readonly signKey?: JoseKey;
  readonly verifyKey?: JoseKey;
  /** Asymmetric keys only. */
  readonly publicJwk?: JWK;
}

type SecretKeys = Pick<LoadedKey, 'encryptKey' | 'decryptKey' | 'signKey' | 'verifyKey'>;

function importSecret(
  bytes: Uint8Array,
  algorithm: webcrypto.AesKeyAlgorithm | webcrypto.HmacImportParams,
  usages: webcrypto.KeyUsage[],
): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('raw', bytes, algorithm, false, usages);
}

/** AES-GCM for dir GCM and GCMKW (RFC 7518 §4.7, §5.3), AES-KW (§4.4); HMAC for HS (§3.2). */
async function loadSecret(parts: AlgorithmParts, bytes: Uint8Array): Promise<SecretKeys> {
  const aesGcm = { name: 'AES-GCM', length: bytes.length * 8 };
  if (parts.use === 'sig') {
    const hmac = { name: 'HMAC', hash: `SHA-${parts.alg.slice(-3)}` };
    const key = await importSecret(bytes, hmac, ['sign', 'verify']);
    return { signKey: key, verifyKey: key };
  }
  let key: JoseKey;
  if (parts.alg === 'dir') {
    // jose splits an AES-CBC-HMAC CEK into its MAC and AES halves itself (RFC 7518 §5.2.2.1).
    const cbc = (parts.enc as ContentEncryption).includes('CBC');
    key = cbc ? bytes : await importSecret(bytes, aesGcm, ['encrypt', 'decrypt']);
  } else if (parts.alg.endsWith('GCMKW')) {
    key = await importSecret(bytes, aesGcm, ['encrypt', 'decrypt']);
  } else {
    key = await importSecret(bytes, { name: 'AES-KW', length: bytes.length * 8 }, [
      'wrapKey',
      'unwrapKey',
    ]);
  }
  return { encryptKey: key, decryptKey: key };
}

/**
 * Imports a stored private JWK for `algorithm`. Stored material is trusted (it was generated or
 * validated on import), so a mismatch is a programming error and throws TypeError.
 */
export async function loadKey(algorithm: ElasticKeyAlgorithm, privateJwk: JWK): Promise<LoadedKey> {
  const { kid } = privateJwk;
  if (typeof kid !== 'string' || kid === '') throw new TypeError('material JWK has no kid');
  const spec = materialSpec(algorithm);
  if (privateJwk.kty !== spec.kty) throw new TypeError(`material JWK does not fit ${algorithm}`);
  const parts = toAlgorithmParts(algorithm);
  const base = { kid, algorithm, parts };
  if (spec.kty === 'oct') {
    const bytes = base64url.decode(privateJwk.k ?? '');
    if (bytes.length * 8 !== spec.size)
      throw new TypeError(`material JWK does not fit ${algorithm}`);
    return { ...base, ...(await loadSecret(parts, bytes)) };
  }
  const publicJwk = toPublicJwk(privateJwk);
  const [privateKey, publicKey] = await Promise.all([
    importJWK(privateJwk, parts.alg, { extractable: false }),
    importJWK(publicJwk, parts.alg),
  ]);
  return parts.use === 'sig'
    ? { ...base, signKey: privateKey, verifyKey: publicKey, publicJwk }
    : { ...base, encryptKey: publicKey, decryptKey: privateKey, publicJwk };
}
