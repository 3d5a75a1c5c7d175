import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ElasticKeyAlgorithm } from '../domain/algorithms.js';
import { isKmsError } from '../domain/kms-error.js';
import { importMaterial } from './material-import.js';

const rsaJwk = (bits: number) =>
  generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ format: 'jwk' }) as JWK;
const ecJwk = (crv: string) =>
  generateKeyPairSync('ec', { namedCurve: crv }).privateKey.export({ format: 'jwk' }) as JWK;
const edJwk = () => generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as JWK;
const octJwk = (bits: number): JWK => ({
  kty: 'oct',
  k: randomBytes(bits / 8).toString('base64url'),
});

function without(jwk: JWK, ...names: string[]): JWK {
  return Object.fromEntries(Object.entries(jwk).filter(([name]) => !names.includes(name)));
}

function flipLastBit(base64url: string): string {
  const bytes = Buffer.from(base64url, 'base64url');
  bytes[bytes.length - 1] = bytes.at(-1)! ^ 2;
  return bytes.toString('base64url');
}

/** Runs the import and returns the KmsError message, asserting the code and no key leak. */
function refusal(algorithm: ElasticKeyAlgorithm, jwk: unknown): string {
  try {
    importMaterial(algorithm, jwk, 'kid-x');
  } catch (err) {
    expect(isKmsError(err, 'invalid-key-material')).toBe(true);
    const { message } = err as Error;
    for (const member of ['d', 'k', 'p', 'q', 'dp', 'dq', 'qi', 'x', 'n'] as const) {
      const value = (jwk as Record<string, unknown> | null)?.[member];
      if (typeof value === 'string' && value.length > 3) expect(message).not.toContain(value);
    }
    return message;
  }
  throw new Error('import was accepted');
}

let rsa2048: JWK;
let rsa3072: JWK;
beforeAll(() => {
  rsa2048 = rsaJwk(2048);
  rsa3072 = rsaJwk(3072);
});

describe('importMaterial accepts', () => {
  it('an RSA key of at least 2048 bits, stamping our kid, alg and use', () => {
    const { privateJwk, publicJwk } = importMaterial(
      'A256GCM/RSA-OAEP-512',
      {
        ...rsa3072,
        kid: 'theirs',
        alg: 'RS256',
        use: 'sig',
        key_ops: ['sign'],
        x5t: 'abc',
        extra: 1,
      },
      'ours',
    );
    expect(privateJwk).toEqual({ ...rsa3072, kid: 'ours', alg: 'RSA-OAEP-512', use: 'enc' });
    expect(publicJwk).toEqual({
      kty: 'RSA',
      n: rsa3072.n,
      e: rsa3072.e,
      kid: 'ours',
      alg: 'RSA-OAEP-512',
      use: 'enc',
    });
  });

  it.each([
    ['ES256', 'P-256'],
    ['ES384', 'P-384'],
    ['ES512', 'P-521'],
    ['A256GCM/ECDH-ES', 'P-521'],
    ['A128GCM/ECDH-ES+A128KW', 'P-256'],
  ] as const)('%s with an EC %s key', (algorithm, crv) => {
    const jwk = ecJwk(crv);
    const { privateJwk, publicJwk } = importMaterial(algorithm, jwk, 'k1');
    const alg = algorithm.split('/').at(-1);
    const use = algorithm.includes('/') ? 'enc' : 'sig';
    expect(privateJwk).toEqual({ ...jwk, kid: 'k1', alg, use });
    expect(publicJwk).toEqual({ kty: 'EC', crv, x: jwk.x, y: jwk.y, kid: 'k1', alg, use });
  });

  it('EdDSA with an Ed25519 key', () => {
    const jwk = edJwk();
    expect(importMaterial('EdDSA', jwk, 'k2')).toEqual({
      privateJwk: { ...jwk, kid: 'k2', alg: 'EdDSA', use: 'sig' },
      publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: 'k2', alg: 'EdDSA', use: 'sig' },
    });
  });

  it.each([
    ['A128CBC-HS256/dir', 256],
    ['A256GCM/A192KW', 192],
    ['A192GCM/A128GCMKW', 128],
    ['HS512', 512],
  ] as const)('%s with an oct key of %i bits, dropping other members', (algorithm, bits) => {
    const jwk = octJwk(bits);
    const result = importMaterial(algorithm, { ...jwk, kid: 'theirs', ext: true }, 'k3');
    expect(result.publicJwk).toBeUndefined();
    expect(result.privateJwk).toEqual({
      kty: 'oct',
      k: jwk.k,
      kid: 'k3',
      alg: algorithm.split('/').at(-1),
      use: algorithm.includes('/') ? 'enc' : 'sig',
    });
  });
});

describe('importMaterial refuses', () => {
  it.each([null, 'a string', 42, ['kty', 'oct']])('a non-object %j', (jwk) => {
    expect(refusal('A256GCM/dir', jwk)).toBe('key material must be a JWK object');
  });

  it.each(['x5c', 'x5u', 'jku'])('a key carrying %s', (member) => {
    expect(refusal('ES256', { ...ecJwk('P-256'), [member]: ['MIIB'] })).toBe(
      'key material must not carry x5c, x5u or jku members',
    );
  });

  it('a public-only key', () => {
    expect(refusal('ES384', without(ecJwk('P-384'), 'd'))).toBe(
      'a key for ES384 must include its private members (d)',
    );
    expect(refusal('RS256', without(rsa2048, 'd', 'p'))).toBe(
      'a key for RS256 must include its private members (d, p, q, dp, dq, qi)',
    );
    expect(refusal('HS256', { kty: 'oct' })).toBe(
      'a key for HS256 must include its private members (k)',
    );
  });

  it('the wrong curve or key type', () => {
    expect(refusal('ES384', ecJwk('P-256'))).toBe(
      'a key for ES384 must be an EC P-384 private key',
    );
    expect(refusal('ES256', rsa2048)).toBe('a key for ES256 must be an EC P-256 private key');
    expect(refusal('EdDSA', ecJwk('P-256'))).toBe(
      'a key for EdDSA must be an OKP Ed25519 private key',
    );
    expect(refusal('RS256', edJwk())).toBe('a key for RS256 must be an RSA private key');
    expect(refusal('A256GCM/dir', rsa2048)).toBe('a key for A256GCM/dir must be a 256-bit oct key');
  });

  it('a key without its public members', () => {
    expect(refusal('ES256', without(ecJwk('P-256'), 'y'))).toBe(
      'a key for ES256 must be an EC P-256 private key',
    );
  });

  it('a weak RSA 1024 key', () => {
    expect(refusal('RS256', rsaJwk(1024))).toBe(
      'an RSA key must have a modulus of 2048 to 8192 bits, a multiple of 8',
    );
  });

  it('an RSA key with a small public exponent', () => {
    const weak = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicExponent: 3,
    }).privateKey.export({ format: 'jwk' }) as JWK;
    expect(refusal('RS256', weak)).toBe(
      'an RSA key must have an odd public exponent above 65536 (FIPS 186-5)',
    );
  });

  it('an RSA modulus that is not a whole number of bytes', () => {
    expect(refusal('PS256', rsaJwk(2052))).toBe(
      'an RSA key must have a modulus of 2048 to 8192 bits, a multiple of 8',
    );
  });

  it('an RSA modulus above 8192 bits', () => {
    // Node accepts an inconsistent RSA JWK, so an 8200-bit random modulus stands in for a
    // real key that would take minutes to generate; the size rule fires before consistency.
    const n = randomBytes(1025);
    n[0] = n[0]! | 0x80;
    expect(refusal('RS512', { ...rsa2048, n: n.toString('base64url') })).toBe(
      'an RSA key must have a modulus of 2048 to 8192 bits, a multiple of 8',
    );
  });

  it('multi-prime RSA', () => {
    expect(refusal('RS256', { ...rsa2048, oth: [] })).toBe(
      'multi-prime RSA keys (oth) are not supported',
    );
  });

  it.each([
    [
      'an EC key with another key’s public point',
      'ES256',
      () => {
        const other = ecJwk('P-256');
        return { ...ecJwk('P-256'), x: other.x, y: other.y };
      },
    ],
    ['an Ed25519 key with another key’s x', 'EdDSA', () => ({ ...edJwk(), x: edJwk().x })],
    ['an RSA key with a wrong d', 'RS256', () => ({ ...rsa2048, d: flipLastBit(rsa2048.d!) })],
    ['an RSA key with a wrong dp', 'RS256', () => ({ ...rsa2048, dp: rsa2048.dq })],
    ['an RSA key with another modulus', 'RS256', () => ({ ...rsa2048, n: rsaJwk(2048).n })],
    ['an RSA key with a wrong qi', 'RS256', () => ({ ...rsa2048, qi: rsa2048.dp })],
  ] as const)('%s (private and public parts do not match)', (_what, algorithm, make) => {
    expect(refusal(algorithm, make())).toBe(
      'the private and public members of the key do not match',
    );
  });

  it('a key node cannot import (point not on the curve)', () => {
    expect(refusal('ES256', { ...ecJwk('P-256'), y: 'AAAA' })).toBe(
      'the key could not be imported',
    );
  });

  it('members that are not base64url strings', () => {
    const message = 'JWK key members must be base64url strings';
    expect(refusal('ES256', { ...ecJwk('P-256'), d: 42 })).toBe(message);
    expect(refusal('ES256', { ...ecJwk('P-256'), d: 'not+base64/' })).toBe(message);
    expect(refusal('ES256', { ...ecJwk('P-256'), d: '' })).toBe(message);
    expect(refusal('HS256', { kty: 'oct', k: 'ABCDE' })).toBe(message);
  });

  it.each([
    ['A256GCM/dir', 128],
    ['A128GCM/A256KW', 128],
    ['HS384', 256],
    ['A256CBC-HS512/dir', 256],
  ] as const)('%s with an oct key of %i bits', (algorithm, bits) => {
    const size = /^HS/.test(algorithm) ? 384 : algorithm === 'A256CBC-HS512/dir' ? 512 : 256;
    expect(refusal(algorithm, octJwk(bits))).toBe(
      `a key for ${algorithm} must be a ${size}-bit oct key`,
    );
  });
});
