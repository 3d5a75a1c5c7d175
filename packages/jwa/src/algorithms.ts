// The JOSE algorithms cryptoutil offers (RFC 7518, RFC 8037), which key shape each one needs,
// and which shapes it accepts. Only what FIPS 140-3 allows: no `none`, no RSA1_5 (PKCS #1 v1.5
// encryption invites padding-oracle attacks), no PBES2 (passwords are not keys here), Ed25519
// as the only OKP curve. KMS and JOSE name keys differently but agree on all of this.
import type { EcCurve, KeyShape } from './key-shape.js';

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

/** The JOSE header values a key serves: `alg` always, `enc` for encryption keys. */
export interface AlgorithmParts {
  readonly use: 'enc' | 'sig';
  /** The JWE `alg` or JWS `alg` header value. */
  readonly alg: KeyManagementAlgorithm | SigningAlgorithm;
  /** The JWE `enc` header value (encryption keys only). */
  readonly enc?: ContentEncryption;
}

/** CEK sizes in bits (RFC 7518 §5.2.3-5.2.5 for CBC-HS: MAC key plus AES key; §5.3 for GCM). */
export const CEK_BITS: Readonly<Record<ContentEncryption, number>> = {
  A128GCM: 128,
  A192GCM: 192,
  A256GCM: 256,
  'A128CBC-HS256': 256,
  'A192CBC-HS384': 384,
  'A256CBC-HS512': 512,
};

/** The AES strength of a content encryption: CBC-HS CEKs are half MAC key, half AES key. */
function encStrength(enc: ContentEncryption): number {
  return enc.includes('CBC') ? CEK_BITS[enc] / 2 : CEK_BITS[enc];
}

/** RSA moduli we generate; imports accept 2048-8192 (see key-import). */
export const RSA_SIZES = [2048, 3072, 4096] as const;
export const EC_CURVES: readonly EcCurve[] = ['P-256', 'P-384', 'P-521'];

/** Hash size of RS/PS/ES/HS algorithms ("256" of "RS256"). */
function hashBits(alg: string): 256 | 384 | 512 {
  return Number(alg.slice(-3)) as 256 | 384 | 512;
}

const RSA_BITS = { 256: 2048, 384: 3072, 512: 4096 } as const;
const EC_CURVE = { 256: 'P-256', 384: 'P-384', 512: 'P-521' } as const;

/** AES key size of the A*KW, A*GCMKW and ECDH-ES+A*KW algorithms. */
function wrapBits(alg: KeyManagementAlgorithm): number | undefined {
  const match = /A(128|192|256)(?:GCM)?KW$/.exec(alg);
  return match ? Number(match[1]) : undefined;
}

function keyManagementShape(alg: KeyManagementAlgorithm, enc: ContentEncryption): KeyShape {
  if (alg === 'dir') return { kty: 'oct', size: CEK_BITS[enc] };
  if (alg.startsWith('RSA-OAEP')) {
    return {
      kty: 'RSA',
      size: alg === 'RSA-OAEP-384' ? 3072 : alg === 'RSA-OAEP-512' ? 4096 : 2048,
    };
  }
  if (alg.startsWith('ECDH-ES')) {
    // Direct agreement derives the CEK itself (RFC 7518 §4.6): match curve strength to it;
    // with key wrapping, match it to the wrapping key.
    const bits = wrapBits(alg) ?? encStrength(enc);
    if (bits <= 128) return { kty: 'EC', crv: 'P-256' };
    return { kty: 'EC', crv: bits === 192 ? 'P-384' : 'P-521' };
  }
  return { kty: 'oct', size: wrapBits(alg) as number };
}

function signingShape(alg: SigningAlgorithm): KeyShape {
  if (alg === 'EdDSA') return { kty: 'OKP', crv: 'Ed25519' };
  const bits = hashBits(alg);
  if (alg.startsWith('ES')) return { kty: 'EC', crv: EC_CURVE[bits] };
  // RFC 7518 §3.2: an HMAC key at least as long as the hash output.
  if (alg.startsWith('HS')) return { kty: 'oct', size: bits };
  return { kty: 'RSA', size: RSA_BITS[bits] };
}

/**
 * The key shape we generate for an algorithm: the smallest that gives the algorithm its full
 * strength (RSA 2048/3072/4096 and P-256/384/521 by hash or wrap size, oct of the key size).
 * `enc` matters for `dir` and `ECDH-ES` only and defaults to A256GCM.
 */
export function defaultShape(parts: AlgorithmParts): KeyShape {
  return parts.use === 'sig'
    ? signingShape(parts.alg as SigningAlgorithm)
    : keyManagementShape(parts.alg as KeyManagementAlgorithm, parts.enc ?? 'A256GCM');
}

/**
 * Whether a key of `shape` may serve `parts`: ES* and the AES algorithms take exactly their
 * curve or size, RSA algorithms any RSA key of 2048 bits or more, ECDH-ES any P-curve, HS* an
 * oct key at least as long as the hash (RFC 7518 §3.2), `dir` an oct key of the `enc` size.
 */
export function shapeFits(shape: KeyShape, parts: AlgorithmParts): boolean {
  const expected = defaultShape(parts);
  if (shape.kty !== expected.kty) return false;
  switch (shape.kty) {
    case 'RSA':
      return shape.size >= 2048;
    case 'EC':
      return parts.alg.startsWith('ECDH-ES') || shape.crv === (expected as { crv: string }).crv;
    case 'OKP':
      return shape.crv === 'Ed25519';
    case 'oct': {
      const size = (expected as { size: number }).size;
      return parts.alg.startsWith('HS') ? shape.size >= size : shape.size === size;
    }
  }
}
