// A material key imported once (by the shared JWA loader) into the forms jose's operations
// take, with its kid and algorithm, so the service can cache it and skip a JWK import per
// request.
import { loadJoseKeys, type JoseKey } from '@cryptoutil/jwa';
import { base64url, type JWK } from 'jose';
import {
  toAlgorithmParts,
  type AlgorithmParts,
  type ElasticKeyAlgorithm,
} from '../domain/algorithms.js';
import { materialSpec } from './material-generation.js';

export type { JoseKey };

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
    if (base64url.decode(privateJwk.k ?? '').length * 8 !== spec.size)
      throw new TypeError(`material JWK does not fit ${algorithm}`);
  }
  return { ...base, ...(await loadJoseKeys(parts, privateJwk)) };
}
