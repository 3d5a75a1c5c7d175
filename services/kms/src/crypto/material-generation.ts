// Material keys for an elastic key algorithm: which key shape each algorithm identifier needs
// (`materialSpec`) and generating one (`generateMaterial`). The JWKs carry our kid, the JOSE
// `alg` they serve and `use` (RFC 7517 §4.2, §4.4), so a JWK alone says what it is for.
import type { JWK } from 'jose';
import {
  toAlgorithmParts,
  type ContentEncryption,
  type ElasticKeyAlgorithm,
  type KeyManagementAlgorithm,
  type SigningAlgorithm,
} from '../domain/algorithms.js';
import { generateShape, type KeyShape, type MaterialJwks } from './key-shape.js';

/** The key shape an algorithm needs, with the `alg` and `use` its JWKs carry. */
export type MaterialSpec = KeyShape & {
  readonly use: 'enc' | 'sig';
  readonly alg: KeyManagementAlgorithm | SigningAlgorithm;
};

/** CEK sizes in bits (RFC 7518 §5.2.3-5.2.5 for CBC-HS: MAC key plus AES key; §5.3 for GCM). */
const CEK_BITS: Readonly<Record<ContentEncryption, number>> = {
  A128GCM: 128,
  A192GCM: 192,
  A256GCM: 256,
  'A128CBC-HS256': 256,
  'A192CBC-HS384': 384,
  'A256CBC-HS512': 512,
};

/** Hash size of RS/PS/ES/HS algorithms ("256" of "RS256"). */
function hashBits(alg: string): 256 | 384 | 512 {
  return Number(alg.slice(-3)) as 256 | 384 | 512;
}

const RSA_BITS = { 256: 2048, 384: 3072, 512: 4096 } as const;
const EC_CURVE = { 256: 'P-256', 384: 'P-384', 512: 'P-521' } as const;

function keyManagementShape(alg: KeyManagementAlgorithm, enc: ContentEncryption): KeyShape {
  switch (alg) {
    case 'dir':
      return { kty: 'oct', size: CEK_BITS[enc] };
    case 'A128KW':
    case 'A128GCMKW':
      return { kty: 'oct', size: 128 };
    case 'A192KW':
    case 'A192GCMKW':
      return { kty: 'oct', size: 192 };
    case 'A256KW':
    case 'A256GCMKW':
      return { kty: 'oct', size: 256 };
    case 'RSA-OAEP':
    case 'RSA-OAEP-256':
      return { kty: 'RSA', size: 2048 };
    case 'RSA-OAEP-384':
      return { kty: 'RSA', size: 3072 };
    case 'RSA-OAEP-512':
      return { kty: 'RSA', size: 4096 };
    case 'ECDH-ES+A128KW':
      return { kty: 'EC', crv: 'P-256' };
    case 'ECDH-ES+A192KW':
      return { kty: 'EC', crv: 'P-384' };
    case 'ECDH-ES+A256KW':
      return { kty: 'EC', crv: 'P-521' };
    case 'ECDH-ES': {
      // Direct agreement derives the CEK itself (RFC 7518 §4.6): match curve strength to it.
      const bits = CEK_BITS[enc];
      if (bits <= 128) return { kty: 'EC', crv: 'P-256' };
      return { kty: 'EC', crv: bits === 192 ? 'P-384' : 'P-521' };
    }
  }
}

function signingShape(alg: SigningAlgorithm): KeyShape {
  switch (alg) {
    case 'RS256':
    case 'RS384':
    case 'RS512':
    case 'PS256':
    case 'PS384':
    case 'PS512':
      return { kty: 'RSA', size: RSA_BITS[hashBits(alg)] };
    case 'ES256':
    case 'ES384':
    case 'ES512':
      return { kty: 'EC', crv: EC_CURVE[hashBits(alg)] };
    case 'EdDSA':
      return { kty: 'OKP', crv: 'Ed25519' };
    case 'HS256':
    case 'HS384':
    case 'HS512':
      // RFC 7518 §3.2: an HMAC key at least as long as the hash output.
      return { kty: 'oct', size: hashBits(alg) };
  }
}

/** The key shape, JWK `alg` and `use` for an elastic key algorithm. */
export function materialSpec(algorithm: ElasticKeyAlgorithm): MaterialSpec {
  const parts = toAlgorithmParts(algorithm);
  const shape =
    parts.enc === undefined
      ? signingShape(parts.alg as SigningAlgorithm)
      : keyManagementShape(parts.alg as KeyManagementAlgorithm, parts.enc);
  return { ...shape, use: parts.use, alg: parts.alg };
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
