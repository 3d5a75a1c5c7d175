// What the JOSE interop test runs: the algorithm lists, read from the service's own create
// schema so that a new algorithm without interop cases fails the coverage test; which key the
// judge generates for each algorithm to import (BYOK); the messages; and the JWE header members
// that differ per message.
import { CEK_BITS, defaultShape, type AlgorithmParts } from '@cryptoutil/jwa';
import { expect } from 'vitest';
import { contentEncryptionSchema, keyAlgorithmSchema } from '../../src/domain/key-set.js';
import { b64, useOf } from './jose-calls.js';

/** Every `alg` a set may have, and every `enc`, as the service accepts them (its create schema). */
export const SERVICE_ALGORITHMS: readonly string[] = keyAlgorithmSchema.options;
export const SERVICE_ENCS: readonly string[] = contentEncryptionSchema.options;

// The cases, spelled out (docs/jose.md "Algorithms"), so that an algorithm the service gains
// without interop cases fails the coverage test instead of being covered silently.
/** Signing with a key the service generates and publishes. */
export const PUBLISHED_SIGNING = [
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
] as const;
/** Signing with a key jwcrypto makes and the service imports: HS* both ways. */
export const IMPORTED_SIGNING = [...PUBLISHED_SIGNING, 'HS256', 'HS384', 'HS512'] as const;
/** Key management with a key the service generates and publishes. */
export const PUBLISHED_KEY_MANAGEMENT = [
  'RSA-OAEP',
  'RSA-OAEP-256',
  'RSA-OAEP-384',
  'RSA-OAEP-512',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
] as const;
/** Key management with an imported key (the judge holds the private or secret key). */
export const IMPORTED_KEY_MANAGEMENT = [
  ...PUBLISHED_KEY_MANAGEMENT,
  'dir',
  'A128KW',
  'A192KW',
  'A256KW',
  'A128GCMKW',
  'A192GCMKW',
  'A256GCMKW',
] as const;
export const CONTENT_ENCRYPTIONS = [
  'A128GCM',
  'A192GCM',
  'A256GCM',
  'A128CBC-HS256',
  'A192CBC-HS384',
  'A256CBC-HS512',
] as const;

export const isAsymmetric = (alg: string) => /^(?:RSA|ECDH|[RPE]S\d|EdDSA)/.test(alg);

export const TEXT = 'interop ✓ attack at dawn';
export const CONTEXT = 'order=42';
/** Repetitive, so DEFLATE (zip: DEF) visibly shrinks it. */
export const LONG_TEXT = 'all that is gold does not glitter; '.repeat(64);

/** One key-management `alg` with one `enc`: what a BYOK encryption set serves. */
export interface EncPair {
  readonly alg: string;
  readonly enc: string;
}

/** Every imported key-management algorithm with every content encryption. */
export const ENC_PAIRS: readonly EncPair[] = IMPORTED_KEY_MANAGEMENT.flatMap((alg) =>
  CONTENT_ENCRYPTIONS.map((enc) => ({ alg, enc })),
);

/** The jwcrypto `generate` case for a key that serves `alg` (with `enc` for dir and ECDH-ES). */
export function shapeOf(alg: string, enc?: string) {
  const parts = { use: useOf(alg), alg, ...(enc === undefined ? {} : { enc }) } as AlgorithmParts;
  const shape = defaultShape(parts);
  switch (shape.kty) {
    // Any RSA modulus of 2048 bits or more serves every RSA algorithm; 2048 keeps it quick.
    case 'RSA':
      return { op: 'generate', kty: 'RSA', size: 2048 } as const;
    case 'oct':
      return { op: 'generate', kty: 'oct', size: shape.size } as const;
    case 'EC':
    case 'OKP':
      return { op: 'generate', kty: shape.kty, crv: shape.crv } as const;
  }
}

/** The size of a dir key for `enc` (RFC 7518 §5: the CEK itself). */
export const dirBits = (enc: string) => CEK_BITS[enc as keyof typeof CEK_BITS];

/** Members a JWE header gets per message: the ephemeral key (RFC 7518 §4.6.1.1), the key-wrap
 * IV and tag (§4.7.1). */
export function perMessageHeader(alg: string): Record<string, unknown> {
  if (alg.startsWith('ECDH')) return { epk: expect.objectContaining({ kty: 'EC' }) };
  if (alg.endsWith('GCMKW')) return { iv: expect.any(String), tag: expect.any(String) };
  return {};
}

/** The plaintext answer of the service's decrypt for TEXT-like UTF-8 `text`. */
export const opened = (text: string) => ({ plaintext: text, plaintextBase64url: b64(text) });
