import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dataKeySpecSchema, fitsAlgorithm, generateDataKey } from './data-key.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('dataKeySpecSchema', () => {
  it.each([
    { kty: 'oct', size: 128 },
    { kty: 'oct', size: 512, alg: 'HS256', use: 'sig' },
    { kty: 'oct', size: 256, alg: 'A128CBC-HS256' },
    { kty: 'oct', size: 384, alg: 'dir', use: 'enc' },
    { kty: 'RSA', size: 3072, alg: 'RSA-OAEP-256' },
    { kty: 'RSA', size: 2048, alg: 'PS512' },
    { kty: 'EC', crv: 'P-384', alg: 'ES384' },
    { kty: 'EC', crv: 'P-521', alg: 'ECDH-ES+A128KW' },
    { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' },
  ])('accepts %j', (spec) => {
    expect(dataKeySpecSchema.parse(spec)).toEqual(spec);
  });

  it.each([
    [{ kty: 'oct', size: 100 }, ['size']],
    [{ kty: 'RSA', size: 1024 }, ['size']],
    [{ kty: 'EC', crv: 'secp256k1' }, ['crv']],
    [{ kty: 'OKP', crv: 'X25519' }, ['crv']],
    [{ kty: 'AKP' }, ['kty']],
    [{ kty: 'oct', size: 128, extra: 1 }, []],
    [{ kty: 'RSA', size: 2048, alg: 'RSA1_5' }, ['alg']],
    [{ kty: 'oct', size: 256, alg: 'none' }, ['alg']],
    [{ kty: 'oct', size: 256, alg: 'PBES2-HS256+A128KW' }, ['alg']],
    [{ kty: 'oct', size: 256, alg: 'ES256K' }, ['alg']],
    [{ kty: 'oct', size: 128, use: 'wrap' }, ['use']],
    [{ kty: 'EC', crv: 'P-256', alg: 'RS256' }, ['alg']],
    [{ kty: 'EC', crv: 'P-384', alg: 'ES256' }, ['alg']],
    [{ kty: 'oct', size: 256, alg: 'HS384' }, ['alg']],
    [{ kty: 'oct', size: 256, alg: 'A128KW' }, ['alg']],
    [{ kty: 'oct', size: 128, alg: 'A128CBC-HS256' }, ['alg']],
    [{ kty: 'oct', size: 256, alg: 'A256GCM', use: 'sig' }, ['use']],
    [{ kty: 'RSA', size: 2048, alg: 'RS256', use: 'enc' }, ['use']],
  ])('refuses %j at %j', (spec, path) => {
    const result = dataKeySpecSchema.safeParse(spec);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(path);
  });
});

describe('fitsAlgorithm', () => {
  it.each([
    [{ kty: 'oct', size: 512 }, 'dir', true],
    [{ kty: 'oct', size: 128 }, 'HS256', false],
    [{ kty: 'oct', size: 192 }, 'A192GCMKW', true],
    [{ kty: 'RSA', size: 4096 }, 'RSA-OAEP', true],
    [{ kty: 'RSA', size: 4096 }, 'ES512', false],
    [{ kty: 'EC', crv: 'P-256' }, 'ECDH-ES', true],
    [{ kty: 'EC', crv: 'P-521' }, 'ES512', true],
    [{ kty: 'OKP', crv: 'Ed25519' }, 'EdDSA', true],
    [{ kty: 'OKP', crv: 'Ed25519' }, 'ECDH-ES', false],
  ] as const)('%j for %s: %s', (shape, alg, fits) => {
    expect(fitsAlgorithm(shape, alg)).toBe(fits);
  });
});

describe('generateDataKey', () => {
  it.each([128, 192, 256, 384, 512] as const)(
    'oct %i: a secret JWK with a fresh UUID kid',
    async (size) => {
      const { privateJwk, publicJwk } = await generateDataKey({ kty: 'oct', size });
      expect(publicJwk).toBeUndefined();
      expect(Object.keys(privateJwk).sort()).toEqual(['k', 'kid', 'kty']);
      expect(privateJwk.kid).toMatch(UUID);
      expect(Buffer.from(privateJwk.k!, 'base64url')).toHaveLength(size / 8);
    },
  );

  it.each(['P-256', 'P-384', 'P-521'] as const)('EC %s with alg and use stamped', async (crv) => {
    const { privateJwk, publicJwk } = await generateDataKey({
      kty: 'EC',
      crv,
      alg: 'ECDH-ES',
      use: 'enc',
    });
    expect(privateJwk).toMatchObject({ kty: 'EC', crv, alg: 'ECDH-ES', use: 'enc' });
    expect(publicJwk).toEqual({
      kty: 'EC',
      crv,
      x: privateJwk.x,
      y: privateJwk.y,
      kid: privateJwk.kid,
      alg: 'ECDH-ES',
      use: 'enc',
    });
  });

  it('OKP Ed25519', async () => {
    const { privateJwk, publicJwk } = await generateDataKey({ kty: 'OKP', crv: 'Ed25519' });
    expect(Object.keys(privateJwk).sort()).toEqual(['crv', 'd', 'kid', 'kty', 'x']);
    expect(publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: privateJwk.x, kid: privateJwk.kid });
  });

  it('RSA 2048', async () => {
    const { privateJwk, publicJwk } = await generateDataKey({
      kty: 'RSA',
      size: 2048,
      alg: 'PS256',
    });
    const key = createPrivateKey({ key: privateJwk, format: 'jwk' });
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(publicJwk).toEqual({
      kty: 'RSA',
      n: privateJwk.n,
      e: 'AQAB',
      kid: privateJwk.kid,
      alg: 'PS256',
    });
  });

  it('never reuses a kid or key', async () => {
    const [a, b] = await Promise.all([
      generateDataKey({ kty: 'oct', size: 256 }),
      generateDataKey({ kty: 'oct', size: 256 }),
    ]);
    expect(a.privateJwk.kid).not.toBe(b.privateJwk.kid);
    expect(a.privateJwk.k).not.toBe(b.privateJwk.k);
  });
});
