// The algorithms an elastic key may use (issue 3). An encryption key is named `<enc>/<alg>`
// (RFC 7518 §5.1 content encryption over §4.1 key management, e.g. `A256GCM/dir`); a signing
// key by its RFC 7518 §3.1 `alg` (e.g. `ES256`), plus `EdDSA` (RFC 8037, Ed25519 only).
// RSA1_5 is left out on purpose: PKCS #1 v1.5 encryption invites padding-oracle attacks.
import { z } from 'zod';

export const CONTENT_ENCRYPTIONS = [
  'A128GCM',
  'A192GCM',
  'A256GCM',
  'A128CBC-HS256',
  'A192CBC-HS384',
  'A256CBC-HS512',
] as const;

export const KEY_MANAGEMENT_ALGORITHMS = [
  'dir',
  'A128KW',
  'A192KW',
  'A256KW',
  'A128GCMKW',
  'A192GCMKW',
  'A256GCMKW',
  'RSA-OAEP',
  'RSA-OAEP-256',
  'RSA-OAEP-384',
  'RSA-OAEP-512',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
] as const;

export const SIGNING_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'HS256',
  'HS384',
  'HS512',
] as const;

export type ContentEncryption = (typeof CONTENT_ENCRYPTIONS)[number];
export type KeyManagementAlgorithm = (typeof KEY_MANAGEMENT_ALGORITHMS)[number];
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];
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

export interface AlgorithmParts {
  readonly use: 'enc' | 'sig';
  /** The JWE `alg` or JWS `alg` header value. */
  readonly alg: KeyManagementAlgorithm | SigningAlgorithm;
  /** The JWE `enc` header value (encryption keys only). */
  readonly enc?: ContentEncryption;
}

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
