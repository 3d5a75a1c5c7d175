// BYOK for the KMS: a caller's private JWK becomes material for an elastic key algorithm when it
// has exactly the algorithm's key shape (RSA: any modulus of 2048-8192 bits), or is refused with
// `invalid-key-material` and the shared importer's fixed phrase (never a key value). The
// caller's kid, alg, use and key_ops are replaced by ours.
import {
  describeShape,
  importPrivateJwk,
  KeyImportError,
  type KeyShape,
  type MaterialJwks,
} from '@cryptoutil/jwa';
import type { ElasticKeyAlgorithm } from '../domain/algorithms.js';
import { KmsError } from '../domain/kms-error.js';
import { materialSpec, stampJwk } from './material-generation.js';

export { RSA_IMPORT_MAX_BITS, RSA_IMPORT_MIN_BITS } from '@cryptoutil/jwa';

function sameShape(spec: KeyShape, shape: KeyShape): boolean {
  if (spec.kty !== shape.kty) return false;
  if (spec.kty === 'RSA') return true;
  if (spec.kty === 'oct') return spec.size === (shape as { size: number }).size;
  return spec.crv === (shape as { crv: string }).crv;
}

/**
 * Validates a caller's private JWK for `algorithm` and returns it as material with our `kid`.
 * Throws KmsError `invalid-key-material` naming the rule that failed.
 */
export function importMaterial(
  algorithm: ElasticKeyAlgorithm,
  jwk: unknown,
  kid: string,
): MaterialJwks {
  const spec = materialSpec(algorithm);
  let bare: MaterialJwks;
  try {
    bare = importPrivateJwk(jwk, {
      accepts: (shape) => sameShape(spec, shape),
      wrongShape: `a key for ${algorithm} must be ${describeShape(spec)}`,
      label: `a key for ${algorithm}`,
    });
  } catch (err) {
    if (err instanceof KeyImportError) throw new KmsError('invalid-key-material', err.message);
    throw err;
  }
  return {
    privateJwk: stampJwk(bare.privateJwk, spec, kid),
    publicJwk: bare.publicJwk === undefined ? undefined : stampJwk(bare.publicJwk, spec, kid),
  };
}
