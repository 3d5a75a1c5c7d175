// The algorithms an elastic key may use (issue 3). An encryption key is named `<enc>/<alg>`
// (RFC 7518 §5.1 content encryption over §4.1 key management, e.g. `A256GCM/dir`); a signing
// key by its RFC 7518 §3.1 `alg` (e.g. `ES256`), plus `EdDSA` (RFC 8037, Ed25519 only).
// RSA1_5 is left out on purpose: PKCS #1 v1.5 encryption invites padding-oracle attacks.
import {
  CONTENT_ENCRYPTIONS,
  KEY_MANAGEMENT_ALGORITHMS,
  SIGNING_ALGORITHMS,
  type AlgorithmParts,
  type ContentEncryption,
  type KeyManagementAlgorithm,
  type SigningAlgorithm,
} from '@cryptoutil/jwa';
import { z } from 'zod';

export { CONTENT_ENCRYPTIONS, KEY_MANAGEMENT_ALGORITHMS, SIGNING_ALGORITHMS };
export type { AlgorithmParts, ContentEncryption, KeyManagementAlgorithm, SigningAlgorithm };

export type EncryptionAlgorithm = `${ContentEncryption}/${KeyManagementAlgorithm}`;
export type ElasticKeyAlgorithm = EncryptionAlgorithm | SigningAlgorithm;

const ENCRYPTION_ALGORITHMS = CONTENT_ENCRYPTIONS.flatMap((enc) =>
  KEY_MANAGEMENT_ALGORITHMS.map((alg): EncryptionAlgorithm => `${enc}/${alg}`),
);

/** Every supported identifier: 90 `<enc>/<alg>` pairs, then the 13 signing algorithms. */
export const ELASTIC_KEY_ALGORITHMS: readonly ElasticKeyAlgorithm[] = [
  ...ENCRYPTION_ALGORITHMS,
  ...SIGNING_ALGORITHMS,
];

export const elasticKeyAlgorithmSchema = z
  .enum(ELASTIC_KEY_ALGORITHMS as [ElasticKeyAlgorithm, ...ElasticKeyAlgorithm[]])
  .describe('`<enc>/<alg>` for encryption keys (e.g. A256GCM/dir), the JWS alg for signing keys');

/** Splits a supported identifier into its JOSE header values. */
export function toAlgorithmParts(algorithm: ElasticKeyAlgorithm): AlgorithmParts {
  const slash = algorithm.indexOf('/');
  if (slash < 0) return { use: 'sig', alg: algorithm as SigningAlgorithm };
  return {
    use: 'enc',
    enc: algorithm.slice(0, slash) as ContentEncryption,
    alg: algorithm.slice(slash + 1) as KeyManagementAlgorithm,
  };
}
