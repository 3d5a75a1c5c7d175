// BYOK import through the shared rule interface, as JOSE uses it (`shapeFits` as the rule):
// what survives an import (bare, canonical key members only) and every refusal phrase.
// services/kms/src/crypto/material-import.test.ts covers the KMS wrapper's exact-shape rules and
// the many ways a pair can mismatch; this file covers each rule of importPrivateJwk once.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultShape, shapeFits, type AlgorithmParts } from './algorithms.js';
import { importPrivateJwk, KeyImportError, type ImportRule } from './key-import.js';
import { describeShape, type KeyShape } from './key-shape.js';

function ruleFor(parts: AlgorithmParts): ImportRule {
  const label = `a key for the ${parts.alg} set`;
  return {
    accepts: (shape) => shapeFits(shape, parts),
    wrongShape: `${label} must be ${describeShape(defaultShape(parts))}`,
    label,
  };
}

const ES256 = ruleFor({ use: 'sig', alg: 'ES256' });
const ECDH = ruleFor({ use: 'enc', alg: 'ECDH-ES', enc: 'A256GCM' });
const EDDSA = ruleFor({ use: 'sig', alg: 'EdDSA' });
const PS256 = ruleFor({ use: 'sig', alg: 'PS256' });
const HS256 = ruleFor({ use: 'sig', alg: 'HS256' });
const A128KW = ruleFor({ use: 'enc', alg: 'A128KW' });

const ecJwk = (crv: string) =>
  generateKeyPairSync('ec', { namedCurve: crv }).privateKey.export({ format: 'jwk' });
const edJwk = () => generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
const b64 = (n: bigint) =>
  Buffer.from(n.toString(16).padStart(2, '0'), 'hex').toString('base64url');

/** The KeyImportError message, asserting the error type and that no member value leaks. */
function refusal(jwk: unknown, rule: ImportRule): string {
  try {
    importPrivateJwk(jwk, rule);
  } catch (err) {
    expect(err).toBeInstanceOf(KeyImportError);
    expect((err as Error).name).toBe('KeyImportError');
    const { message } = err as Error;
    for (const value of Object.values((jwk ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'string' && value.length > 8) expect(message).not.toContain(value);
    }
    return message;
  }
  throw new Error('import was accepted');
}

let rsa2048: JWK;
beforeAll(() => {
  rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    format: 'jwk',
  });
});

describe('importPrivateJwk returns bare key members', () => {
  const metadata = { kid: 'theirs', alg: 'ES256', use: 'sig', key_ops: ['sign'], ext: true };

  it('an EC key: kty, crv, x, y, d and nothing else; the public half without d', () => {
    const jwk = ecJwk('P-256');
    const { privateJwk, publicJwk } = importPrivateJwk({ ...jwk, ...metadata }, ES256);
    expect(privateJwk).toEqual({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d });
    expect(publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y });
  });

  it('an EC key of any P-curve for ECDH-ES', () => {
    const jwk = ecJwk('P-384');
    expect(importPrivateJwk(jwk, ECDH).publicJwk).toEqual({
      kty: 'EC',
      crv: 'P-384',
      x: jwk.x,
      y: jwk.y,
    });
  });

  it('an Ed25519 key', () => {
    const jwk = edJwk();
    expect(importPrivateJwk({ ...jwk, kid: 'x' }, EDDSA)).toEqual({
      privateJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d },
      publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x },
    });
  });

  it('an RSA key: its eight members; the public half n and e', () => {
    const { privateJwk, publicJwk } = importPrivateJwk({ ...rsa2048, ...metadata }, PS256);
    expect(privateJwk).toEqual(rsa2048);
    expect(publicJwk).toEqual({ kty: 'RSA', n: rsa2048.n, e: rsa2048.e });
  });

  it('an oct key re-encoded canonically, with no public half', () => {
    const bytes = randomBytes(16);
    const canonical = bytes.toString('base64url');
    // 16 bytes leave 4 unused bits in the last character: set one to make a non-canonical k.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet[alphabet.indexOf(canonical.at(-1)!) | 1]!;
    const loose = canonical.slice(0, -1) + last;
    expect(loose).not.toBe(canonical);
    expect(importPrivateJwk({ kty: 'oct', k: loose, kid: 'x', alg: 'A128KW' }, A128KW)).toEqual({
      privateJwk: { kty: 'oct', k: canonical },
      publicJwk: undefined,
    });
  });

  it('an oct key longer than the hash for HS256', () => {
    const k = randomBytes(64).toString('base64url');
    expect(importPrivateJwk({ kty: 'oct', k }, HS256).privateJwk).toEqual({ kty: 'oct', k });
  });
});

describe('importPrivateJwk refuses', () => {
  it.each([undefined, null, 'jwk', 7, [{ kty: 'oct' }]])('a non-object %j', (jwk) => {
    expect(refusal(jwk, HS256)).toBe('key material must be a JWK object');
  });

  it.each(['x5c', 'x5u', 'jku'])('a key carrying %s, even an empty one', (member) => {
    expect(refusal({ kty: 'oct', k: 'AAAA', [member]: '' }, HS256)).toBe(
      'key material must not carry x5c, x5u or jku members',
    );
  });

  it.each([
    ['an unknown kty', { kty: 'DH', x: 'AAAA', d: 'AAAA' }],
    ['no kty', { x: 'AAAA', d: 'AAAA' }],
    ['an EC curve we do not offer', { kty: 'EC', crv: 'secp256k1', x: 'AA', y: 'AA', d: 'AA' }],
    ['an EC key without crv', { kty: 'EC', x: 'AAAA', y: 'AAAA', d: 'AAAA' }],
    ['an OKP curve we do not offer', { kty: 'OKP', crv: 'X25519', x: 'AAAA', d: 'AAAA' }],
  ])('%s with the rule’s wrong-shape phrase', (_what, jwk) => {
    expect(refusal(jwk, ES256)).toBe('a key for the ES256 set must be an EC P-256 private key');
  });

  it('a P-curve the rule does not accept, before reading any member', () => {
    expect(refusal({ kty: 'EC', crv: 'P-384' }, ES256)).toBe(
      'a key for the ES256 set must be an EC P-256 private key',
    );
    expect(refusal({ kty: 'OKP', crv: 'Ed25519' }, ES256)).toBe(
      'a key for the ES256 set must be an EC P-256 private key',
    );
  });

  it('multi-prime RSA', () => {
    expect(refusal({ ...rsa2048, oth: [{ r: 'AQAB', d: 'AQAB', t: 'AQAB' }] }, PS256)).toBe(
      'multi-prime RSA keys (oth) are not supported',
    );
  });

  it.each([
    ['EC without y', () => ({ ...ecJwk('P-256'), y: undefined }), ES256],
    ['OKP without x', () => ({ ...edJwk(), x: undefined }), EDDSA],
    ['RSA without n', () => ({ ...rsa2048, n: undefined }), PS256],
    ['RSA without e', () => ({ ...rsa2048, e: undefined }), PS256],
  ] as const)('a key missing a public member (%s) as the wrong shape', (_what, make, rule) => {
    expect(refusal(make(), rule)).toBe(rule.wrongShape);
  });

  it.each([
    ['EC', () => ({ ...ecJwk('P-256'), d: undefined }), ES256, '(d)'],
    ['OKP', () => ({ ...edJwk(), d: undefined }), EDDSA, '(d)'],
    ['RSA', () => ({ ...rsa2048, qi: undefined }), PS256, '(d, p, q, dp, dq, qi)'],
    ['oct', () => ({ kty: 'oct' }), HS256, '(k)'],
  ] as const)('a public-only %s key, naming its private members', (_kty, make, rule, names) => {
    expect(refusal(make(), rule)).toBe(`${rule.label} must include its private members ${names}`);
  });

  it.each([
    ['a number', 42],
    ['padding', 'AAAA='],
    ['standard base64 characters', 'ab+/'],
    ['an empty string', ''],
    ['an impossible length', 'AAAAA'],
    ['null', null],
  ])('a key member that is %s', (_what, k) => {
    expect(refusal({ kty: 'oct', k }, HS256)).toBe('JWK key members must be base64url strings');
  });

  it('a public member that is not base64url', () => {
    expect(refusal({ ...ecJwk('P-256'), x: 'x.y' }, ES256)).toBe(
      'JWK key members must be base64url strings',
    );
  });

  it.each([
    [A128KW, 256, 'a key for the A128KW set must be a 128-bit oct key'],
    [A128KW, 120, 'a key for the A128KW set must be a 128-bit oct key'],
    [HS256, 248, 'a key for the HS256 set must be a 256-bit oct key'],
  ] as const)('an oct key of a size the rule refuses', (rule, bits, message) => {
    expect(refusal({ kty: 'oct', k: randomBytes(bits / 8).toString('base64url') }, rule)).toBe(
      message,
    );
  });

  it('an oct key for an asymmetric rule', () => {
    expect(refusal({ kty: 'oct', k: randomBytes(32).toString('base64url') }, ES256)).toBe(
      'a key for the ES256 set must be an EC P-256 private key',
    );
  });

  it('a key node cannot import', () => {
    expect(refusal({ ...edJwk(), x: 'AAAA' }, EDDSA)).toBe('the key could not be imported');
  });

  describe('RSA key size and exponent (FIPS 186-5 §5.1)', () => {
    const size = 'an RSA key must have a modulus of 2048 to 8192 bits, a multiple of 8';
    const exponent = 'an RSA key must have an odd public exponent above 65536 (FIPS 186-5)';

    it('a modulus below 2048 bits', () => {
      const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
      expect(refusal(small.export({ format: 'jwk' }), PS256)).toBe(size);
    });

    it('a modulus above 8192 bits (random, as the size rule fires first)', () => {
      const n = randomBytes(1025);
      n[0] = n[0]! | 0x80;
      expect(refusal({ ...rsa2048, n: n.toString('base64url') }, PS256)).toBe(size);
    });

    it.each([
      ['3', 3n],
      ['65535 (odd, not above 65536)', 65535n],
      ['65536', 65536n],
      ['65538 (even)', 65538n],
      ['2^256 + 1 (too large)', 2n ** 256n + 1n],
    ])('a public exponent of %s', (_what, e) => {
      expect(refusal({ ...rsa2048, e: b64(e) }, PS256)).toBe(exponent);
    });

    it('a 2048-bit key for a rule that wants more', () => {
      const rule: ImportRule = {
        accepts: (shape: KeyShape) => shape.kty === 'RSA' && shape.size >= 3072,
        wrongShape: 'a key for this set must be an RSA key of 3072 bits or more',
        label: 'a key for this set',
      };
      expect(refusal(rsa2048, rule)).toBe(rule.wrongShape);
    });
  });

  it.each([
    ['an EC key with another key’s d', () => ({ ...ecJwk('P-256'), d: ecJwk('P-256').d }), ES256],
    // Node signs with the CRT values and never reads d: only the RFC 8017 §3.2 check sees it.
    [
      'an RSA key with the d of another key',
      () => ({
        ...rsa2048,
        d: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
          format: 'jwk',
        }).d,
      }),
      PS256,
    ],
  ] as const)('%s', (_what, make, rule) => {
    expect(refusal(make(), rule)).toBe('the private and public members of the key do not match');
  });
});
