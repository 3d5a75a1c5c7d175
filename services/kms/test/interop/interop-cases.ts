// What the interop test runs: which algorithms each direction covers (together, all that the
// KMS offers), the messages it sends, the key shapes jwcrypto generates for BYOK, and the JWE
// header members that differ per message.
import { expect } from 'vitest';
import { materialSpec } from '../../src/crypto/index.js';
import {
  CONTENT_ENCRYPTIONS,
  KEY_MANAGEMENT_ALGORITHMS,
  SIGNING_ALGORITHMS,
  type ElasticKeyAlgorithm,
} from '../../src/domain/algorithms.js';
import { b64 } from './kms-calls.js';

export const isAsymmetric = (alg: string) => alg.startsWith('RSA') || alg.startsWith('ECDH');
const pairs = (algs: readonly string[]) =>
  CONTENT_ENCRYPTIONS.flatMap((enc) => algs.map((alg) => `${enc}/${alg}` as ElasticKeyAlgorithm));
const ASYMMETRIC_KW = KEY_MANAGEMENT_ALGORITHMS.filter(isAsymmetric);
/** (a) generated signing keys with a public half. */
export const GENERATED_SIGNING = SIGNING_ALGORITHMS.filter((alg) => !alg.startsWith('HS'));
/** (b) every content encryption over every public-key management algorithm. */
export const GENERATED_ENCRYPTION = pairs(ASYMMETRIC_KW);
/** (c) every symmetric pair, and each public-key algorithm once with the private key imported. */
export const IMPORTED_ENCRYPTION = [
  ...pairs(KEY_MANAGEMENT_ALGORITHMS.filter((alg) => !isAsymmetric(alg))),
  ...ASYMMETRIC_KW.map((alg, i) => `${CONTENT_ENCRYPTIONS[i % 6] ?? ''}/${alg}`),
] as ElasticKeyAlgorithm[];
export const IMPORTED_SIGNING = [...SIGNING_ALGORITHMS];

export const TEXT = 'interop ✓ attack at dawn';
export const BYTES = b64(Uint8Array.from([0, 1, 2, 127, 128, 254, 255]));
export const CONTEXT = 'order=42';

/** Members the KMS adds per message: the ephemeral key (RFC 7518 §4.6.1.1), the key-wrap IV
 * and tag (§4.7.1). */
export function perMessageHeader(alg: string): Record<string, unknown> {
  if (alg.startsWith('ECDH')) return { epk: expect.objectContaining({ kty: 'EC' }) };
  if (alg.endsWith('GCMKW')) return { iv: expect.any(String), tag: expect.any(String) };
  return {};
}

/** What jwcrypto generates for a key of `algorithm`, to be imported. */
export function shapeOf(algorithm: ElasticKeyAlgorithm) {
  const spec = materialSpec(algorithm);
  // The KMS imports any RSA modulus of 2048 bits or more; 2048 keeps key generation quick.
  if (spec.kty === 'RSA') return { op: 'generate', kty: 'RSA', size: 2048 } as const;
  if (spec.kty === 'oct') return { op: 'generate', kty: 'oct', size: spec.size } as const;
  return { op: 'generate', kty: spec.kty, crv: spec.crv } as const;
}
