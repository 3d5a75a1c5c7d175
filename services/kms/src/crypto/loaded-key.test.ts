import type { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ElasticKeyAlgorithm } from '../domain/algorithms.js';
import { loadKey, type LoadedKey } from './loaded-key.js';
import { generateMaterial } from './material-generation.js';

async function load(algorithm: ElasticKeyAlgorithm): Promise<LoadedKey> {
  const { privateJwk } = await generateMaterial(algorithm, `kid-${algorithm}`);
  return loadKey(algorithm, privateJwk);
}

function cryptoKey(key: unknown): webcrypto.CryptoKey {
  expect(key).toBeInstanceOf(CryptoKey);
  return key as webcrypto.CryptoKey;
}

describe('loadKey', () => {
  it('imports dir GCM keys once as a non-extractable AES-GCM CryptoKey', async () => {
    const key = await load('A192GCM/dir');
    expect(key).toMatchObject({
      kid: 'kid-A192GCM/dir',
      algorithm: 'A192GCM/dir',
      parts: { use: 'enc', alg: 'dir', enc: 'A192GCM' },
    });
    const aes = cryptoKey(key.encryptKey);
    expect(key.decryptKey).toBe(aes);
    expect(aes.algorithm).toEqual({ name: 'AES-GCM', length: 192 });
    expect(aes.extractable).toBe(false);
    expect([...aes.usages].sort()).toEqual(['decrypt', 'encrypt']);
    expect(key.signKey).toBeUndefined();
    expect(key.publicJwk).toBeUndefined();
  });

  it('keeps AES-CBC-HMAC dir keys as bytes, which jose splits into MAC and AES keys', async () => {
    const key = await load('A192CBC-HS384/dir');
    expect(key.encryptKey).toBeInstanceOf(Uint8Array);
    expect(key.encryptKey).toHaveLength(48);
    expect(key.decryptKey).toBe(key.encryptKey);
  });

  it.each([
    ['A128GCM/A192KW', { name: 'AES-KW', length: 192 }, ['unwrapKey', 'wrapKey']],
    ['A128GCM/A256GCMKW', { name: 'AES-GCM', length: 256 }, ['decrypt', 'encrypt']],
  ] as const)('imports %s as %j', async (algorithm, expected, usages) => {
    const key = await load(algorithm);
    const aes = cryptoKey(key.encryptKey);
    expect(aes.algorithm).toEqual(expected);
    expect([...aes.usages].sort()).toEqual(usages);
    expect(key.decryptKey).toBe(aes);
  });

  it('imports HS keys as an HMAC CryptoKey for both sign and verify', async () => {
    const key = await load('HS384');
    const hmac = cryptoKey(key.signKey);
    expect(key.verifyKey).toBe(hmac);
    expect(hmac.algorithm).toEqual({ name: 'HMAC', hash: { name: 'SHA-384' }, length: 384 });
    expect(hmac.extractable).toBe(false);
    expect(key.encryptKey).toBeUndefined();
  });

  it('imports signing key pairs with a non-extractable private key', async () => {
    const key = await load('ES384');
    expect(cryptoKey(key.signKey)).toMatchObject({ type: 'private', extractable: false });
    expect(cryptoKey(key.verifyKey).type).toBe('public');
    expect(key.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-384', kid: 'kid-ES384' });
    expect(key.publicJwk).not.toHaveProperty('d');
  });

  it('imports encryption key pairs: public to encrypt, private to decrypt', async () => {
    const key = await load('A256GCM/ECDH-ES+A128KW');
    expect(cryptoKey(key.encryptKey).type).toBe('public');
    expect(cryptoKey(key.decryptKey)).toMatchObject({ type: 'private', extractable: false });
    expect(key.publicJwk).toMatchObject({ alg: 'ECDH-ES+A128KW', use: 'enc' });
  });

  it('treats material that does not fit its algorithm as a programming error', async () => {
    const { privateJwk } = await generateMaterial('A256GCM/dir', 'k');
    await expect(loadKey('A128GCM/dir', privateJwk)).rejects.toThrow(
      new TypeError('material JWK does not fit A128GCM/dir'),
    );
    await expect(loadKey('ES256', privateJwk)).rejects.toThrow(
      new TypeError('material JWK does not fit ES256'),
    );
    await expect(loadKey('HS256', { kty: 'oct', kid: 'k' })).rejects.toThrow(
      new TypeError('material JWK does not fit HS256'),
    );
    await expect(loadKey('A256GCM/dir', { kty: 'oct', k: privateJwk.k! })).rejects.toThrow(
      new TypeError('material JWK has no kid'),
    );
    await expect(loadKey('A256GCM/dir', { ...privateJwk, kid: '' })).rejects.toThrow(
      new TypeError('material JWK has no kid'),
    );
  });
});
