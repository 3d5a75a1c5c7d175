import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_ENCRYPTIONS,
  ELASTIC_KEY_ALGORITHMS,
  type ContentEncryption,
  type ElasticKeyAlgorithm,
} from '../domain/algorithms.js';
import type { KeyShape } from '@cryptoutil/jwa';
import { generateMaterial, materialSpec } from './material-generation.js';

// Written out independently of the implementation: what each algorithm needs.
const DIR_BITS: Record<ContentEncryption, number> = {
  A128GCM: 128,
  A192GCM: 192,
  A256GCM: 256,
  'A128CBC-HS256': 256,
  'A192CBC-HS384': 384,
  'A256CBC-HS512': 512,
};
const ECDH_ES_CURVE: Record<ContentEncryption, KeyShape> = {
  A128GCM: { kty: 'EC', crv: 'P-256' },
  A192GCM: { kty: 'EC', crv: 'P-384' },
  A256GCM: { kty: 'EC', crv: 'P-521' },
  'A128CBC-HS256': { kty: 'EC', crv: 'P-256' },
  'A192CBC-HS384': { kty: 'EC', crv: 'P-384' },
  'A256CBC-HS512': { kty: 'EC', crv: 'P-521' },
};
const FIXED: Record<string, KeyShape> = {
  A128KW: { kty: 'oct', size: 128 },
  A192KW: { kty: 'oct', size: 192 },
  A256KW: { kty: 'oct', size: 256 },
  A128GCMKW: { kty: 'oct', size: 128 },
  A192GCMKW: { kty: 'oct', size: 192 },
  A256GCMKW: { kty: 'oct', size: 256 },
  'RSA-OAEP': { kty: 'RSA', size: 2048 },
  'RSA-OAEP-256': { kty: 'RSA', size: 2048 },
  'RSA-OAEP-384': { kty: 'RSA', size: 3072 },
  'RSA-OAEP-512': { kty: 'RSA', size: 4096 },
  'ECDH-ES+A128KW': { kty: 'EC', crv: 'P-256' },
  'ECDH-ES+A192KW': { kty: 'EC', crv: 'P-384' },
  'ECDH-ES+A256KW': { kty: 'EC', crv: 'P-521' },
  RS256: { kty: 'RSA', size: 2048 },
  RS384: { kty: 'RSA', size: 3072 },
  RS512: { kty: 'RSA', size: 4096 },
  PS256: { kty: 'RSA', size: 2048 },
  PS384: { kty: 'RSA', size: 3072 },
  PS512: { kty: 'RSA', size: 4096 },
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  ES512: { kty: 'EC', crv: 'P-521' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  HS256: { kty: 'oct', size: 256 },
  HS384: { kty: 'oct', size: 384 },
  HS512: { kty: 'oct', size: 512 },
};

function expected(algorithm: ElasticKeyAlgorithm) {
  const [first, second] = algorithm.split('/') as [string, string | undefined];
  if (second === undefined) return { ...FIXED[first], use: 'sig', alg: first };
  const enc = first as ContentEncryption;
  const shape =
    second === 'dir'
      ? { kty: 'oct', size: DIR_BITS[enc] }
      : second === 'ECDH-ES'
        ? ECDH_ES_CURVE[enc]
        : FIXED[second];
  return { ...shape, use: 'enc', alg: second };
}

/** The shape a generated JWK really has, read back through node:crypto. */
function actualShape(jwk: JWK): KeyShape {
  if (jwk.kty === 'oct') return { kty: 'oct', size: Buffer.from(jwk.k!, 'base64url').length * 8 };
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  if (jwk.kty === 'RSA') return { kty: 'RSA', size: key.asymmetricKeyDetails!.modulusLength! };
  return { kty: jwk.kty, crv: jwk.crv } as KeyShape;
}

const isRsa = (a: ElasticKeyAlgorithm) => a.includes('RSA-OAEP') || /^[RP]S/.test(a);

describe('materialSpec', () => {
  it('covers all 103 algorithm ids', () => {
    expect(ELASTIC_KEY_ALGORITHMS).toHaveLength(103);
  });

  it.each(ELASTIC_KEY_ALGORITHMS)('%s needs the documented key shape', (algorithm) => {
    expect(materialSpec(algorithm)).toEqual(expected(algorithm));
  });

  it('sizes dir keys by the content encryption', () => {
    expect(CONTENT_ENCRYPTIONS.map((enc) => materialSpec(`${enc}/dir`))).toEqual(
      CONTENT_ENCRYPTIONS.map((enc) => ({
        kty: 'oct',
        size: DIR_BITS[enc],
        use: 'enc',
        alg: 'dir',
      })),
    );
  });
});

describe('generateMaterial', () => {
  it.each(ELASTIC_KEY_ALGORITHMS.filter((a) => !isRsa(a)))(
    '%s generates a key of its shape with kid, alg and use',
    async (algorithm) => {
      const { privateJwk, publicJwk } = await generateMaterial(algorithm, 'kid-1');
      const { use, alg, ...shape } = expected(algorithm);
      expect(actualShape(privateJwk)).toEqual(shape);
      expect(privateJwk).toMatchObject({ kid: 'kid-1', alg, use });
      if (privateJwk.kty === 'oct') {
        expect(publicJwk).toBeUndefined();
        expect(Object.keys(privateJwk).sort()).toEqual(['alg', 'k', 'kid', 'kty', 'use']);
      } else {
        expect(publicJwk).toMatchObject({ kid: 'kid-1', alg, use, kty: privateJwk.kty });
        expect(publicJwk).not.toHaveProperty('d');
        expect(publicJwk).toEqual(
          expect.objectContaining(
            createPublicKey({ key: privateJwk, format: 'jwk' }).export({ format: 'jwk' }),
          ),
        );
      }
    },
  );

  // RSA generation is slow (4096 bits takes about a second): one algorithm per modulus size.
  it.each([
    ['A256GCM/RSA-OAEP-256', 2048],
    ['RS384', 3072],
    ['A128CBC-HS256/RSA-OAEP-512', 4096],
  ] as const)(
    '%s generates an RSA key of %i bits',
    async (algorithm, bits) => {
      const { privateJwk, publicJwk } = await generateMaterial(algorithm, 'kid-r');
      expect(actualShape(privateJwk)).toEqual({ kty: 'RSA', size: bits });
      expect(Object.keys(privateJwk).sort()).toEqual(
        ['alg', 'd', 'dp', 'dq', 'e', 'kid', 'kty', 'n', 'p', 'q', 'qi', 'use'].sort(),
      );
      expect(publicJwk).toEqual({
        kty: 'RSA',
        n: privateJwk.n,
        e: 'AQAB',
        kid: 'kid-r',
        alg: materialSpec(algorithm).alg,
        use: materialSpec(algorithm).use,
      });
    },
    30_000,
  );

  it('generates fresh material every time', async () => {
    const [a, b] = await Promise.all([
      generateMaterial('A256GCM/dir', 'a'),
      generateMaterial('A256GCM/dir', 'b'),
    ]);
    expect(a.privateJwk.k).not.toBe(b.privateJwk.k);
  });
});
