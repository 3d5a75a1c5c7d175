// The algorithm table: the key shape generated for every JOSE algorithm (RFC 7518 §3-§5) and
// which shapes each algorithm accepts, so KMS and JOSE keep agreeing on both.
import { describe, expect, it } from 'vitest';
import {
  CONTENT_ENCRYPTIONS,
  defaultShape,
  KEY_MANAGEMENT_ALGORITHMS,
  shapeFits,
  SIGNING_ALGORITHMS,
  type AlgorithmParts,
  type ContentEncryption,
  type KeyManagementAlgorithm,
  type SigningAlgorithm,
} from './algorithms.js';
import type { KeyShape } from './key-shape.js';

const sig = (alg: SigningAlgorithm): AlgorithmParts => ({ use: 'sig', alg });
const enc = (alg: KeyManagementAlgorithm, e?: ContentEncryption): AlgorithmParts =>
  e === undefined ? { use: 'enc', alg } : { use: 'enc', alg, enc: e };

describe('defaultShape for signing algorithms', () => {
  it.each([
    ['RS256', { kty: 'RSA', size: 2048 }],
    ['RS384', { kty: 'RSA', size: 3072 }],
    ['RS512', { kty: 'RSA', size: 4096 }],
    ['PS256', { kty: 'RSA', size: 2048 }],
    ['PS384', { kty: 'RSA', size: 3072 }],
    ['PS512', { kty: 'RSA', size: 4096 }],
    ['ES256', { kty: 'EC', crv: 'P-256' }],
    ['ES384', { kty: 'EC', crv: 'P-384' }],
    ['ES512', { kty: 'EC', crv: 'P-521' }],
    ['EdDSA', { kty: 'OKP', crv: 'Ed25519' }],
    ['HS256', { kty: 'oct', size: 256 }],
    ['HS384', { kty: 'oct', size: 384 }],
    ['HS512', { kty: 'oct', size: 512 }],
  ] as const)('%s is %j', (alg, shape) => {
    expect(defaultShape(sig(alg))).toEqual(shape);
  });

  it('covers every signing algorithm', () => {
    for (const alg of SIGNING_ALGORITHMS) expect(defaultShape(sig(alg)).kty).toBeTypeOf('string');
  });
});

describe('defaultShape for key management algorithms', () => {
  it.each([
    ['RSA-OAEP', { kty: 'RSA', size: 2048 }],
    ['RSA-OAEP-256', { kty: 'RSA', size: 2048 }],
    ['RSA-OAEP-384', { kty: 'RSA', size: 3072 }],
    ['RSA-OAEP-512', { kty: 'RSA', size: 4096 }],
    ['A128KW', { kty: 'oct', size: 128 }],
    ['A192KW', { kty: 'oct', size: 192 }],
    ['A256KW', { kty: 'oct', size: 256 }],
    ['A128GCMKW', { kty: 'oct', size: 128 }],
    ['A192GCMKW', { kty: 'oct', size: 192 }],
    ['A256GCMKW', { kty: 'oct', size: 256 }],
    ['ECDH-ES+A128KW', { kty: 'EC', crv: 'P-256' }],
    ['ECDH-ES+A192KW', { kty: 'EC', crv: 'P-384' }],
    ['ECDH-ES+A256KW', { kty: 'EC', crv: 'P-521' }],
  ] as const)('%s is %j whatever the enc', (alg, shape) => {
    expect(defaultShape(enc(alg))).toEqual(shape);
    for (const e of CONTENT_ENCRYPTIONS) expect(defaultShape(enc(alg, e))).toEqual(shape);
  });

  it.each([
    ['A128GCM', 128],
    ['A192GCM', 192],
    ['A256GCM', 256],
    ['A128CBC-HS256', 256],
    ['A192CBC-HS384', 384],
    ['A256CBC-HS512', 512],
  ] as const)('dir with %s is an oct key of %i bits (the CEK)', (e, size) => {
    expect(defaultShape(enc('dir', e))).toEqual({ kty: 'oct', size });
  });

  it('dir without enc is sized for A256GCM', () => {
    expect(defaultShape(enc('dir'))).toEqual({ kty: 'oct', size: 256 });
  });

  it.each([
    ['A128GCM', 'P-256'],
    ['A192GCM', 'P-384'],
    ['A256GCM', 'P-521'],
    // CBC-HS CEKs carry a MAC key too, so their bit count (not their AES strength) picks the curve.
    ['A128CBC-HS256', 'P-256'],
    ['A192CBC-HS384', 'P-384'],
    ['A256CBC-HS512', 'P-521'],
  ] as const)('ECDH-ES with %s is EC %s', (e, crv) => {
    expect(defaultShape(enc('ECDH-ES', e))).toEqual({ kty: 'EC', crv });
  });

  it('ECDH-ES without enc is sized for A256GCM', () => {
    expect(defaultShape(enc('ECDH-ES'))).toEqual({ kty: 'EC', crv: 'P-521' });
  });

  it('covers every key management algorithm', () => {
    for (const alg of KEY_MANAGEMENT_ALGORITHMS) {
      expect(defaultShape(enc(alg)).kty).toBeTypeOf('string');
    }
  });
});

describe('shapeFits', () => {
  const rsa = (size: number): KeyShape => ({ kty: 'RSA', size });
  const ec = (crv: 'P-256' | 'P-384' | 'P-521'): KeyShape => ({ kty: 'EC', crv });
  const oct = (size: number): KeyShape => ({ kty: 'oct', size });
  const ed: KeyShape = { kty: 'OKP', crv: 'Ed25519' };

  it.each([
    [rsa(2048), sig('RS512'), true],
    [rsa(4096), sig('RS256'), true],
    [rsa(3072), sig('PS384'), true],
    [rsa(2048), enc('RSA-OAEP-512'), true],
    [rsa(8192), enc('RSA-OAEP'), true],
    [rsa(2040), sig('RS256'), false],
    [rsa(1024), enc('RSA-OAEP-256'), false],
  ] as const)('RSA: %j for %j is %s', (shape, parts, fits) => {
    expect(shapeFits(shape, parts)).toBe(fits);
  });

  it.each([
    [ec('P-256'), sig('ES256'), true],
    [ec('P-384'), sig('ES256'), false],
    [ec('P-521'), sig('ES256'), false],
    [ec('P-384'), sig('ES384'), true],
    [ec('P-256'), sig('ES512'), false],
    [ec('P-521'), sig('ES512'), true],
  ] as const)('ES*: %j for %j is %s', (shape, parts, fits) => {
    expect(shapeFits(shape, parts)).toBe(fits);
  });

  it.each([
    [ec('P-256'), enc('ECDH-ES', 'A256GCM')],
    [ec('P-384'), enc('ECDH-ES', 'A128GCM')],
    [ec('P-521'), enc('ECDH-ES', 'A128GCM')],
    [ec('P-256'), enc('ECDH-ES+A256KW')],
    [ec('P-521'), enc('ECDH-ES+A128KW')],
  ] as const)('ECDH-ES takes any P-curve: %j for %j', (shape, parts) => {
    expect(shapeFits(shape, parts)).toBe(true);
  });

  it('EdDSA takes Ed25519 only', () => {
    expect(shapeFits(ed, sig('EdDSA'))).toBe(true);
    expect(shapeFits(ec('P-256'), sig('EdDSA'))).toBe(false);
  });

  it.each([
    [oct(256), sig('HS256'), true],
    [oct(512), sig('HS256'), true],
    [oct(248), sig('HS256'), false],
    [oct(128), sig('HS256'), false],
    [oct(384), sig('HS384'), true],
    [oct(256), sig('HS384'), false],
    [oct(512), sig('HS512'), true],
    [oct(384), sig('HS512'), false],
  ] as const)('HS*: %j for %j is %s (at least the hash size)', (shape, parts, fits) => {
    expect(shapeFits(shape, parts)).toBe(fits);
  });

  it.each([
    [oct(128), enc('A128KW'), true],
    [oct(256), enc('A128KW'), false],
    [oct(120), enc('A128KW'), false],
    [oct(192), enc('A192GCMKW'), true],
    [oct(256), enc('A192GCMKW'), false],
    [oct(256), enc('A256KW'), true],
  ] as const)('AES key wrap: %j for %j is %s (exactly the key size)', (shape, parts, fits) => {
    expect(shapeFits(shape, parts)).toBe(fits);
  });

  it.each([
    [oct(128), enc('dir', 'A128GCM'), true],
    [oct(256), enc('dir', 'A128GCM'), false],
    [oct(256), enc('dir', 'A128CBC-HS256'), true],
    [oct(512), enc('dir', 'A128CBC-HS256'), false],
    [oct(512), enc('dir', 'A256CBC-HS512'), true],
    [oct(256), enc('dir'), true],
    [oct(128), enc('dir'), false],
  ] as const)('dir: %j for %j is %s (exactly the enc size)', (shape, parts, fits) => {
    expect(shapeFits(shape, parts)).toBe(fits);
  });

  it.each([
    [rsa(2048), sig('ES256')],
    [ec('P-256'), sig('RS256')],
    [ed, sig('ES256')],
    [oct(256), sig('EdDSA')],
    [rsa(4096), sig('HS256')],
    [oct(2048), enc('RSA-OAEP')],
    [ec('P-256'), enc('dir', 'A256GCM')],
    [oct(256), enc('ECDH-ES')],
    [ed, enc('ECDH-ES')],
  ] as const)('refuses a key type mismatch: %j for %j', (shape, parts) => {
    expect(shapeFits(shape, parts)).toBe(false);
  });
});
