// Material keys for an elastic key algorithm: which key shape each algorithm identifier needs
// (`materialSpec`, the shared JWA default shape) and generating one (`generateMaterial`). The
// JWKs carry our kid, the JOSE `alg` they serve and `use` (RFC 7517 §4.2, §4.4), so a JWK alone
// says what it is for.
import {
  defaultShape,
  generateShape,
  type KeyManagementAlgorithm,
  type KeyShape,
  type MaterialJwks,
  type SigningAlgorithm,
} from '@cryptoutil/jwa';
import type { JWK } from 'jose';
import { toAlgorithmParts, type ElasticKeyAlgorithm } from '../domain/algorithms.js';

/** The key shape an algorithm needs, with the `alg` and `use` its JWKs carry. */
export type MaterialSpec = KeyShape & {
  readonly use: 'enc' | 'sig';
  readonly alg: KeyManagementAlgorithm | SigningAlgorithm;
};

/** The key shape, JWK `alg` and `use` for an elastic key algorithm. */
export function materialSpec(algorithm: ElasticKeyAlgorithm): MaterialSpec {
  const parts = toAlgorithmParts(algorithm);
  return { ...defaultShape(parts), use: parts.use, alg: parts.alg };
}

/** Stamps our kid, alg and use on a bare JWK (the caller's own values never survive). */
export function stampJwk(jwk: JWK, spec: MaterialSpec, kid: string): JWK {
  return { ...jwk, kid, alg: spec.alg, use: spec.use };
}

/** Generates a fresh material key for `algorithm`, identified by `kid`. */
export async function generateMaterial(
  algorithm: ElasticKeyAlgorithm,
  kid: string,
): Promise<MaterialJwks> {
  const spec = materialSpec(algorithm);
  const { privateJwk, publicJwk } = await generateShape(spec);
  return {
    privateJwk: stampJwk(privateJwk, spec, kid),
    publicJwk: publicJwk === undefined ? undefined : stampJwk(publicJwk, spec, kid),
  };
}
