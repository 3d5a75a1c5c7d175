// CA keys: generation, the PKCS#8 export openssl reads, import checked against the certificate,
// public key classification, and signatures in the form X.509 carries.
import { createPublicKey, generateKeyPairSync, verify, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isCaError } from '../domain/ca-error.js';
import {
  exportPkcs8,
  generateCaKeys,
  importCaPrivateKey,
  publicKeyInfo,
  signatureAlgorithmDer,
  signBytes,
  signTbs,
} from './ca-keys.js';
import { createRootCertificate } from './ca-certificates.js';
import { der, derBitString, derChildren, derNull, derOid, derSequence, fromPem } from './pem.js';
import { opensslOk, outputText } from './testing/openssl.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const root = async (keys: webcrypto.CryptoKeyPair): Promise<Uint8Array> =>
  createRootCertificate({ subject: 'CN=Key Test', keys, validityDays: 1 });

async function ed25519Keys(): Promise<webcrypto.CryptoKeyPair> {
  const keys = await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
  if ('type' in keys) throw new TypeError('expected a key pair');
  return keys;
}

describe('generateCaKeys / exportPkcs8', () => {
  it.each(['P-256', 'P-384', 'P-521'] as const)(
    'makes an EC %s pair openssl reads',
    async (curve) => {
      const keys = await generateCaKeys({ kty: 'EC', curve });
      expect(keys.privateKey.algorithm).toEqual({ name: 'ECDSA', namedCurve: curve });
      expect(keys.privateKey.extractable).toBe(true);
      expect(keys.privateKey.usages).toEqual(['sign']);
      const text = opensslOk(['pkey', '-inform', 'DER', '-in', 'k.der', '-noout', '-text'], {
        'k.der': await exportPkcs8(keys.privateKey),
      }).stdout;
      expect(text).toContain(`NIST CURVE: ${curve}`);
    },
  );

  it('makes an RSA pair with exponent 65537', async () => {
    const keys = await generateCaKeys({ kty: 'RSA', bits: 2048 });
    expect(keys.privateKey.algorithm).toMatchObject({
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      hash: { name: 'SHA-256' },
    });
    const text = opensslOk(['pkey', '-inform', 'DER', '-in', 'k.der', '-noout', '-text'], {
      'k.der': await exportPkcs8(keys.privateKey),
    }).stdout;
    expect(text).toContain('Private-Key: (2048 bit, 2 primes)');
    expect(text).toContain('publicExponent: 65537 (0x10001)');
  });
});

describe('importCaPrivateKey', () => {
  it.each([
    [{ kty: 'EC', curve: 'P-384' } as const, { name: 'ECDSA', namedCurve: 'P-384' }],
    [{ kty: 'RSA', bits: 2048 } as const, { name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } }],
  ])('imports %j as a non-extractable signing key', async (spec, algorithm) => {
    const keys = await generateCaKeys(spec);
    const key = await importCaPrivateKey(await exportPkcs8(keys.privateKey), await root(keys));
    expect(key.extractable).toBe(false);
    expect(key.usages).toEqual(['sign']);
    expect(key.algorithm).toMatchObject(algorithm);
  });

  it('imports an Ed25519 key', async () => {
    const keys = await ed25519Keys();
    const key = await importCaPrivateKey(await exportPkcs8(keys.privateKey), await root(keys));
    expect(key.algorithm).toEqual({ name: 'Ed25519' });
  });

  it('imports an openssl key and certificate', async () => {
    const made = opensslOk([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', 'k.pem', '-subj', '/CN=openssl CA', '-days', '1', '-out', 'c.pem',
    ]); // prettier-ignore
    const pkcs8 = fromPem(outputText(made, 'k.pem'), 'PRIVATE KEY');
    const key = await importCaPrivateKey(pkcs8, fromPem(outputText(made, 'c.pem'), 'CERTIFICATE'));
    expect(key.algorithm).toEqual({ name: 'ECDSA', namedCurve: 'P-256' });
  });

  it('refuses a key that does not match the certificate (TypeError)', async () => {
    const keys = await generateCaKeys({ kty: 'EC', curve: 'P-384' });
    const other = await generateCaKeys({ kty: 'EC', curve: 'P-384' });
    const pkcs8 = await exportPkcs8(other.privateKey);
    await expect(importCaPrivateKey(pkcs8, await root(keys))).rejects.toThrow(
      new TypeError('the CA private key does not match the certificate public key'),
    );
  });

  it.each([
    [
      'a key of another type',
      async () => exportPkcs8((await generateCaKeys({ kty: 'RSA', bits: 2048 })).privateKey),
    ],
    [
      'a key on another curve',
      async () => exportPkcs8((await generateCaKeys({ kty: 'EC', curve: 'P-256' })).privateKey),
    ],
    ['garbage', () => Promise.resolve(Uint8Array.of(0x30, 0))],
  ])('refuses %s (TypeError)', async (_, pkcs8) => {
    const keys = await generateCaKeys({ kty: 'EC', curve: 'P-384' });
    await expect(importCaPrivateKey(await pkcs8(), await root(keys))).rejects.toThrow(
      new TypeError('the CA private key cannot be imported for its certificate'),
    );
  });
});

describe('publicKeyInfo', () => {
  /** An RSA SPKI (RFC 8017 A.1.1) with the modulus of a real key and the given exponent. */
  function rsaSpki(exponent: number): Uint8Array {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const n = Buffer.from(publicKey.export({ format: 'jwk' }).n ?? '', 'base64url');
    const e = Buffer.from(exponent.toString(16).padStart(6, '0'), 'hex');
    const rsaKey = derSequence(der(0x02, Uint8Array.of(0, ...n)), der(0x02, e));
    const algorithm = derSequence(derOid('1.2.840.113549.1.1.1'), derNull());
    return derSequence(algorithm, derBitString(rsaKey));
  }

  it.each([65536, 1])('refuses RSA exponent %i (CA/B BR §6.1.6)', (exponent) => {
    let error: unknown;
    try {
      publicKeyInfo(rsaSpki(exponent));
    } catch (err) {
      error = err;
    }
    expect(isCaError(error, 'key-not-allowed')).toBe(true);
    expect((error as Error).message).toBe(`RSA public exponent ${exponent} is not allowed`);
  });

  it('accepts an odd exponent ≥ 3', () => {
    expect(publicKeyInfo(rsaSpki(3))).toEqual({ kty: 'RSA', bits: 2048 });
  });

  it('refuses X25519 (a key agreement key)', () => {
    const spki = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' });
    expect(() => publicKeyInfo(new Uint8Array(spki))).toThrow('key type x25519 is not allowed');
  });
});

describe('signatures', () => {
  it.each([
    [{ kty: 'EC', curve: 'P-256' } as const, '300a06082a8648ce3d040302', 'sha256'],
    [{ kty: 'EC', curve: 'P-384' } as const, '300a06082a8648ce3d040303', 'sha384'],
    [{ kty: 'EC', curve: 'P-521' } as const, '300a06082a8648ce3d040304', 'sha512'],
    [{ kty: 'RSA', bits: 2048 } as const, '300d06092a864886f70d01010b0500', 'sha256'],
  ])(
    '%j: AlgorithmIdentifier (RFC 5758 §3.2, RFC 4055 §5) and DER signatures',
    async (spec, id, hash) => {
      const keys = await generateCaKeys(spec);
      expect(hex(signatureAlgorithmDer(keys.privateKey))).toBe(id);
      const publicKey = createPublicKey({
        key: Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey)),
        format: 'der',
        type: 'spki',
      });
      // Enough ECDSA signatures that r or s starts with a high bit or a zero octet.
      for (let i = 0; i < 40; i++) {
        const data = Uint8Array.of(i, 1, 2, 3);
        const signature = await signBytes(keys.privateKey, data);
        expect(verify(hash, data, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
      }
    },
  );

  it('Ed25519 has the RFC 8410 identifier and signs as is', async () => {
    const keys = await ed25519Keys();
    expect(hex(signatureAlgorithmDer(keys.privateKey))).toBe('300506032b6570');
    expect(await signBytes(keys.privateKey, Uint8Array.of(1))).toHaveLength(64);
  });

  it('signTbs wraps tbs, algorithm and signature as RFC 5280 §4.1.1 does', async () => {
    const keys = await generateCaKeys({ kty: 'EC', curve: 'P-256' });
    const tbs = derSequence(derNull());
    const [first, algorithm, bits] = derChildren(await signTbs(tbs, keys.privateKey));
    expect(hex(first!)).toBe('30020500');
    expect(hex(algorithm!)).toBe('300a06082a8648ce3d040302');
    expect(bits![0]).toBe(0x03);
  });
});
