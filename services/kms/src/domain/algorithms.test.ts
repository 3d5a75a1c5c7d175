import { describe, expect, it } from 'vitest';
import {
  CONTENT_ENCRYPTIONS,
  ELASTIC_KEY_ALGORITHMS,
  elasticKeyAlgorithmSchema,
  KEY_MANAGEMENT_ALGORITHMS,
  SIGNING_ALGORITHMS,
  toAlgorithmParts,
} from './algorithms.js';

describe('elastic key algorithms', () => {
  it('lists every enc/alg pair and every signing algorithm once', () => {
    expect(ELASTIC_KEY_ALGORITHMS).toHaveLength(
      CONTENT_ENCRYPTIONS.length * KEY_MANAGEMENT_ALGORITHMS.length + SIGNING_ALGORITHMS.length,
    );
    expect(ELASTIC_KEY_ALGORITHMS).toHaveLength(103);
    expect(new Set(ELASTIC_KEY_ALGORITHMS).size).toBe(ELASTIC_KEY_ALGORITHMS.length);
  });

  it.each([
    'A256GCM/dir',
    'A128CBC-HS256/ECDH-ES+A128KW',
    'A192GCM/RSA-OAEP-512',
    'ES256',
    'EdDSA',
    'HS512',
  ])('accepts %s', (alg) => {
    expect(elasticKeyAlgorithmSchema.parse(alg)).toBe(alg);
  });

  // RSA1_5 is excluded (padding oracles); `none` and bare enc values are not keys.
  it.each(['A256GCM/RSA1_5', 'RSA1_5', 'none', 'A256GCM', 'dir', 'ES256K', 'a256gcm/dir', ''])(
    'refuses %j',
    (alg) => {
      expect(elasticKeyAlgorithmSchema.safeParse(alg).success).toBe(false);
    },
  );

  it('splits identifiers into JOSE header values', () => {
    expect(toAlgorithmParts('A256GCM/dir')).toEqual({ use: 'enc', enc: 'A256GCM', alg: 'dir' });
    expect(toAlgorithmParts('A128CBC-HS256/ECDH-ES+A256KW')).toEqual({
      use: 'enc',
      enc: 'A128CBC-HS256',
      alg: 'ECDH-ES+A256KW',
    });
    expect(toAlgorithmParts('PS384')).toEqual({ use: 'sig', alg: 'PS384' });
  });
});
