import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parsePrivateKeyPem, signingAlgorithmFor, toSigningKey } from './signing-key.js';

const pkcs8 = (key: ReturnType<typeof generateKeyPairSync>['privateKey']) =>
  key.export({ type: 'pkcs8', format: 'pem' }) as string;

describe('signingAlgorithmFor', () => {
  it('pairs each NIST curve with its hash', () => {
    for (const [namedCurve, curve, hash] of [
      ['prime256v1', 'P-256', 'SHA-256'],
      ['secp384r1', 'P-384', 'SHA-384'],
      ['secp521r1', 'P-521', 'SHA-512'],
    ] as const) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve });
      expect(signingAlgorithmFor(privateKey)).toEqual({ name: 'ECDSA', namedCurve: curve, hash });
    }
  });

  it('refuses non-FIPS keys with the reason', () => {
    expect(
      signingAlgorithmFor(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey),
    ).toBe('EC curve secp256k1 is not allowed (FIPS: P-256, P-384, P-521)');
    expect(signingAlgorithmFor(generateKeyPairSync('ed25519').privateKey)).toBe(
      'key type ed25519 is not allowed (FIPS: ECDSA P-256/P-384/P-521 or RSA >= 2048)',
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(signingAlgorithmFor(rsa)).toBe(
      'RSA key of 1024 bits is too short (FIPS: at least 2048)',
    );
    expect(toSigningKey(rsa)).toBe('RSA key of 1024 bits is too short (FIPS: at least 2048)');
  });
});

describe('parsePrivateKeyPem', () => {
  it('parses PEM private keys and refuses anything else', () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    expect(parsePrivateKeyPem(pkcs8(key))?.asymmetricKeyType).toBe('ec');
    expect(
      parsePrivateKeyPem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'),
    ).toBeUndefined();
    expect(parsePrivateKeyPem('not a key')).toBeUndefined();
    const encrypted = key.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'pw',
    }) as string;
    expect(parsePrivateKeyPem(encrypted)).toBeUndefined();
  });
});
