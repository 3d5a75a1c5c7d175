// Loading stored JWKs into the keys jose takes: which WebCrypto algorithm, usages and
// extractability each JOSE algorithm gets, raw bytes for AES-CBC-HMAC CEKs, and keys that work.
import type { webcrypto } from 'node:crypto';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { compactDecrypt, CompactEncrypt, CompactSign, compactVerify, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { defaultShape, type AlgorithmParts } from './algorithms.js';
import { generateShape } from './key-shape.js';
import { loadJoseKeys, type JoseKey } from './load-key.js';

type CryptoKey = webcrypto.CryptoKey;

const octJwk = (bytes: Uint8Array): JWK => ({
  kty: 'oct',
  k: Buffer.from(bytes).toString('base64url'),
});

function asCryptoKey(key: JoseKey | undefined): CryptoKey {
  expect(key).toBeInstanceOf(globalThis.CryptoKey);
  return key as CryptoKey;
}

async function roundTrip(parts: AlgorithmParts, encryptKey: JoseKey, decryptKey: JoseKey) {
  const jwe = await new CompactEncrypt(new TextEncoder().encode('hello'))
    .setProtectedHeader({ alg: parts.alg, enc: parts.enc ?? 'A256GCM' })
    .encrypt(encryptKey);
  const { plaintext } = await compactDecrypt(jwe, decryptKey);
  return new TextDecoder().decode(plaintext);
}

describe('loadJoseKeys for oct keys', () => {
  it('HS256: one non-extractable HMAC SHA-256 key that signs and verifies', async () => {
    const keys = await loadJoseKeys({ use: 'sig', alg: 'HS256' }, octJwk(randomBytes(32)));
    const key = asCryptoKey(keys.signKey);
    expect(keys.verifyKey).toBe(key);
    expect(key.algorithm).toEqual({ name: 'HMAC', hash: { name: 'SHA-256' }, length: 256 });
    expect(key.extractable).toBe(false);
    expect([...key.usages].sort()).toEqual(['sign', 'verify']);
    expect(keys.encryptKey).toBeUndefined();
    expect(keys.publicJwk).toBeUndefined();
  });

  it('HS512 takes its hash from the algorithm and a key longer than the hash', async () => {
    const keys = await loadJoseKeys({ use: 'sig', alg: 'HS512' }, octJwk(randomBytes(80)));
    expect(asCryptoKey(keys.signKey).algorithm).toEqual({
      name: 'HMAC',
      hash: { name: 'SHA-512' },
      length: 640,
    });
    const jws = await new CompactSign(new Uint8Array([1]))
      .setProtectedHeader({ alg: 'HS512' })
      .sign(keys.signKey!);
    await expect(compactVerify(jws, keys.verifyKey!)).resolves.toBeDefined();
  });

  it.each([
    ['A128GCM', 16],
    ['A256GCM', 32],
  ] as const)('dir with %s: an AES-GCM key', async (enc, length) => {
    const parts: AlgorithmParts = { use: 'enc', alg: 'dir', enc };
    const keys = await loadJoseKeys(parts, octJwk(randomBytes(length)));
    const key = asCryptoKey(keys.encryptKey);
    expect(keys.decryptKey).toBe(key);
    expect(key.algorithm).toEqual({ name: 'AES-GCM', length: length * 8 });
    expect(key.extractable).toBe(false);
    expect([...key.usages].sort()).toEqual(['decrypt', 'encrypt']);
    expect(keys.signKey).toBeUndefined();
    expect(await roundTrip(parts, key, key)).toBe('hello');
  });

  it('dir without enc: an AES-GCM key', async () => {
    const keys = await loadJoseKeys({ use: 'enc', alg: 'dir' }, octJwk(randomBytes(32)));
    expect(asCryptoKey(keys.encryptKey).algorithm).toEqual({ name: 'AES-GCM', length: 256 });
  });

  it.each([
    ['A128CBC-HS256', 32],
    ['A256CBC-HS512', 64],
  ] as const)('dir with %s: the raw CEK bytes', async (enc, length) => {
    const bytes = randomBytes(length);
    const parts: AlgorithmParts = { use: 'enc', alg: 'dir', enc };
    const keys = await loadJoseKeys(parts, octJwk(bytes));
    expect(keys.encryptKey).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(keys.encryptKey as Uint8Array)).toEqual(bytes);
    expect(keys.decryptKey).toBe(keys.encryptKey);
    expect(await roundTrip(parts, keys.encryptKey!, keys.decryptKey!)).toBe('hello');
  });

  it.each([
    ['A128GCMKW', 16, { name: 'AES-GCM', length: 128 }, ['decrypt', 'encrypt']],
    ['A256GCMKW', 32, { name: 'AES-GCM', length: 256 }, ['decrypt', 'encrypt']],
    ['A128KW', 16, { name: 'AES-KW', length: 128 }, ['unwrapKey', 'wrapKey']],
    ['A192KW', 24, { name: 'AES-KW', length: 192 }, ['unwrapKey', 'wrapKey']],
  ] as const)('%s: %j', async (alg, length, algorithm, usages) => {
    const parts: AlgorithmParts = { use: 'enc', alg };
    const keys = await loadJoseKeys(parts, octJwk(randomBytes(length)));
    const key = asCryptoKey(keys.encryptKey);
    expect(keys.decryptKey).toBe(key);
    expect(key.algorithm).toEqual(algorithm);
    expect(key.extractable).toBe(false);
    expect([...key.usages].sort()).toEqual(usages);
    expect(await roundTrip(parts, key, key)).toBe('hello');
  });

  it('an oct JWK without k loads an empty secret, which WebCrypto refuses', async () => {
    await expect(loadJoseKeys({ use: 'sig', alg: 'HS256' }, { kty: 'oct' })).rejects.toThrow();
  });
});

describe('loadJoseKeys for asymmetric keys', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
    format: 'jwk',
  });

  it('sig: a non-extractable private signing key, the public verify key and public JWK', async () => {
    const keys = await loadJoseKeys({ use: 'sig', alg: 'ES256' }, { ...ec, kid: 'k1' });
    const signKey = asCryptoKey(keys.signKey);
    const verifyKey = asCryptoKey(keys.verifyKey);
    expect(signKey.type).toBe('private');
    expect(signKey.extractable).toBe(false);
    expect(signKey.algorithm).toEqual({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(verifyKey.type).toBe('public');
    expect(keys.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: ec.x, y: ec.y, kid: 'k1' });
    expect(keys.encryptKey).toBeUndefined();
    expect(keys.decryptKey).toBeUndefined();
    const jws = await new CompactSign(new Uint8Array([7]))
      .setProtectedHeader({ alg: 'ES256' })
      .sign(signKey);
    expect((await compactVerify(jws, verifyKey)).payload).toEqual(new Uint8Array([7]));
  });

  it('enc: the public key encrypts, the non-extractable private key decrypts', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      format: 'jwk',
    });
    const parts: AlgorithmParts = { use: 'enc', alg: 'RSA-OAEP-256', enc: 'A128GCM' };
    const keys = await loadJoseKeys(parts, rsa);
    const encryptKey = asCryptoKey(keys.encryptKey);
    const decryptKey = asCryptoKey(keys.decryptKey);
    expect(encryptKey.type).toBe('public');
    expect(decryptKey.type).toBe('private');
    expect(decryptKey.extractable).toBe(false);
    expect(keys.publicJwk).toEqual({ kty: 'RSA', n: rsa.n, e: rsa.e });
    expect(keys.signKey).toBeUndefined();
    expect(await roundTrip(parts, encryptKey, decryptKey)).toBe('hello');
  });

  it('ECDH-ES: keys usable for key agreement', async () => {
    const parts: AlgorithmParts = { use: 'enc', alg: 'ECDH-ES', enc: 'A256GCM' };
    const keys = await loadJoseKeys(parts, ec);
    expect(asCryptoKey(keys.decryptKey).algorithm).toEqual({
      name: 'ECDH',
      namedCurve: 'P-256',
    });
    expect(await roundTrip(parts, keys.encryptKey!, keys.decryptKey!)).toBe('hello');
  });

  it('throws for a JWK that does not fit the algorithm', async () => {
    await expect(loadJoseKeys({ use: 'sig', alg: 'RS256' }, ec)).rejects.toThrow();
  });
});

describe('loadJoseKeys with generated material', () => {
  it.each<AlgorithmParts>([
    { use: 'sig', alg: 'RS256' },
    { use: 'sig', alg: 'ES384' },
    { use: 'sig', alg: 'EdDSA' },
    { use: 'sig', alg: 'HS512' },
  ])('signs and verifies with a fresh key for %j', async (parts) => {
    const { privateJwk, publicJwk } = await generateShape(defaultShape(parts));
    const keys = await loadJoseKeys(parts, privateJwk);
    expect(keys.publicJwk).toEqual(publicJwk);
    const jws = await new CompactSign(new Uint8Array([1, 2]))
      .setProtectedHeader({ alg: parts.alg })
      .sign(keys.signKey!);
    expect((await compactVerify(jws, keys.verifyKey!)).payload).toEqual(new Uint8Array([1, 2]));
  });

  it.each<AlgorithmParts>([
    { use: 'enc', alg: 'dir', enc: 'A192CBC-HS384' },
    { use: 'enc', alg: 'A192GCMKW', enc: 'A128GCM' },
    { use: 'enc', alg: 'ECDH-ES+A128KW', enc: 'A256GCM' },
    { use: 'enc', alg: 'RSA-OAEP', enc: 'A128CBC-HS256' },
  ])('encrypts and decrypts with a fresh key for %j', async (parts) => {
    const { privateJwk } = await generateShape(defaultShape(parts));
    const keys = await loadJoseKeys(parts, privateJwk);
    expect(await roundTrip(parts, keys.encryptKey!, keys.decryptKey!)).toBe('hello');
  });
});
