// The rules of a JWK set definition (resolveSpec: defaults and every refusal), and the small
// views of a set and its versions: status, next rotation and the sealing AAD.
import { describe, expect, it } from 'vitest';
import { isJoseError } from './jose-error.js';
import {
  nextRotationAt,
  partsOf,
  resolveSpec,
  versionAad,
  versionStatus,
  type KeySet,
  type KeySetSpecInput,
  type KeyVersion,
} from './key-set.js';

/** The JoseError message of a refused spec, asserting the code. */
function refusal(input: KeySetSpecInput): string {
  try {
    resolveSpec(input);
  } catch (err) {
    expect(isJoseError(err, 'invalid-key-spec')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('the spec was accepted');
}

describe('resolveSpec defaults', () => {
  it.each([
    [
      { use: 'sig', alg: 'RS256' },
      { use: 'sig', alg: 'RS256', shape: { kty: 'RSA', size: 2048 } },
    ],
    [
      { use: 'sig', alg: 'PS512' },
      { use: 'sig', alg: 'PS512', shape: { kty: 'RSA', size: 4096 } },
    ],
    [
      { use: 'sig', alg: 'ES384' },
      { use: 'sig', alg: 'ES384', shape: { kty: 'EC', crv: 'P-384' } },
    ],
    [
      { use: 'sig', alg: 'EdDSA' },
      { use: 'sig', alg: 'EdDSA', shape: { kty: 'OKP', crv: 'Ed25519' } },
    ],
    [
      { use: 'sig', alg: 'HS384' },
      { use: 'sig', alg: 'HS384', shape: { kty: 'oct', size: 384 } },
    ],
    [
      { use: 'enc', alg: 'dir' },
      { use: 'enc', alg: 'dir', enc: 'A256GCM', shape: { kty: 'oct', size: 256 } },
    ],
    [
      { use: 'enc', alg: 'dir', enc: 'A128CBC-HS256' },
      { use: 'enc', alg: 'dir', enc: 'A128CBC-HS256', shape: { kty: 'oct', size: 256 } },
    ],
    [
      { use: 'enc', alg: 'A192KW', enc: 'A128GCM' },
      { use: 'enc', alg: 'A192KW', enc: 'A128GCM', shape: { kty: 'oct', size: 192 } },
    ],
    [
      { use: 'enc', alg: 'RSA-OAEP-384' },
      { use: 'enc', alg: 'RSA-OAEP-384', enc: 'A256GCM', shape: { kty: 'RSA', size: 3072 } },
    ],
    [
      { use: 'enc', alg: 'ECDH-ES+A128KW' },
      { use: 'enc', alg: 'ECDH-ES+A128KW', enc: 'A256GCM', shape: { kty: 'EC', crv: 'P-256' } },
    ],
  ] as const)('%j resolves to %j', (input, spec) => {
    expect(resolveSpec(input)).toEqual(spec);
  });

  it('signing sets have no enc member at all', () => {
    expect('enc' in resolveSpec({ use: 'sig', alg: 'ES256', enc: undefined })).toBe(false);
  });
});

describe('resolveSpec with an explicit shape', () => {
  it.each([
    [
      { use: 'sig', alg: 'RS256', size: 4096 },
      { kty: 'RSA', size: 4096 },
    ],
    [
      { use: 'sig', alg: 'RS512', kty: 'RSA', size: 2048 },
      { kty: 'RSA', size: 2048 },
    ],
    [
      { use: 'enc', alg: 'RSA-OAEP', size: 3072 },
      { kty: 'RSA', size: 3072 },
    ],
    [
      { use: 'sig', alg: 'HS256', size: 512 },
      { kty: 'oct', size: 512 },
    ],
    [
      { use: 'sig', alg: 'HS256', kty: 'oct' },
      { kty: 'oct', size: 256 },
    ],
    [
      { use: 'enc', alg: 'ECDH-ES', crv: 'P-256' },
      { kty: 'EC', crv: 'P-256' },
    ],
    [
      { use: 'enc', alg: 'ECDH-ES+A256KW', kty: 'EC', crv: 'P-384' },
      { kty: 'EC', crv: 'P-384' },
    ],
    [
      { use: 'sig', alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' },
      { kty: 'OKP', crv: 'Ed25519' },
    ],
  ] as const)('%j has shape %j', (input, shape) => {
    expect(resolveSpec(input).shape).toEqual(shape);
  });
});

describe('resolveSpec refuses', () => {
  it.each([
    [{ use: 'enc', alg: 'RS256' }, 'RS256 is not an encryption algorithm'],
    [{ use: 'enc', alg: 'HS256' }, 'HS256 is not an encryption algorithm'],
    [{ use: 'sig', alg: 'dir' }, 'dir is not a signing algorithm'],
    [{ use: 'sig', alg: 'RSA-OAEP' }, 'RSA-OAEP is not a signing algorithm'],
  ] as const)('an alg of the other use: %j', (input, message) => {
    expect(refusal(input)).toBe(message);
  });

  it('enc on a signing set', () => {
    expect(refusal({ use: 'sig', alg: 'ES256', enc: 'A256GCM' })).toBe(
      'enc is for encryption sets only',
    );
  });

  it('size and crv together', () => {
    expect(refusal({ use: 'sig', alg: 'ES256', size: 256, crv: 'P-256' })).toBe(
      'give size or crv, not both',
    );
  });

  it.each([1024, 2049, 8192])('an RSA size of %i', (size) => {
    expect(refusal({ use: 'sig', alg: 'RS256', size })).toBe(
      'an RSA key is 2048, 3072 or 4096 bits',
    );
  });

  it.each([64, 200, 1024])('an oct size of %i', (size) => {
    expect(refusal({ use: 'sig', alg: 'HS256', size })).toBe(
      'an oct key is 128, 192, 256, 384 or 512 bits',
    );
  });

  it.each(['P-192', 'secp256k1', 'Ed25519'])('an EC curve %s', (crv) => {
    expect(refusal({ use: 'sig', alg: 'ES256', crv })).toBe('an EC key is P-256, P-384 or P-521');
  });

  it.each(['X25519', 'Ed448', 'P-256'])('an OKP curve %s', (crv) => {
    expect(refusal({ use: 'sig', alg: 'EdDSA', crv })).toBe('the only OKP curve is Ed25519');
  });

  it.each([
    [{ use: 'sig', alg: 'ES256', crv: 'P-384' }, 'ES256 needs an EC P-256 key'],
    [{ use: 'sig', alg: 'ES512', kty: 'EC', crv: 'P-256' }, 'ES512 needs an EC P-521 key'],
    [{ use: 'sig', alg: 'ES256', kty: 'RSA' }, 'ES256 needs an EC P-256 key'],
    [{ use: 'sig', alg: 'RS256', kty: 'EC' }, 'RS256 needs an RSA key'],
    [{ use: 'sig', alg: 'RS256', kty: 'oct', size: 256 }, 'RS256 needs an RSA key'],
    [{ use: 'sig', alg: 'EdDSA', kty: 'EC' }, 'EdDSA needs an OKP Ed25519 key'],
    [{ use: 'sig', alg: 'ES256', kty: 'OKP' }, 'ES256 needs an EC P-256 key'],
    [{ use: 'sig', alg: 'HS384', size: 256 }, 'HS384 needs a 384-bit oct key'],
    [{ use: 'enc', alg: 'A128KW', size: 256 }, 'A128KW needs a 128-bit oct key'],
    [{ use: 'enc', alg: 'A256GCMKW', kty: 'RSA' }, 'A256GCMKW needs a 256-bit oct key'],
    [{ use: 'enc', alg: 'dir', size: 128 }, 'dir with A256GCM needs a 256-bit oct key'],
    [
      { use: 'enc', alg: 'dir', enc: 'A256CBC-HS512', size: 256 },
      'dir with A256CBC-HS512 needs a 512-bit oct key',
    ],
    [{ use: 'enc', alg: 'ECDH-ES', kty: 'oct' }, 'ECDH-ES needs an EC P-521 key'],
    [{ use: 'enc', alg: 'RSA-OAEP-512', kty: 'EC' }, 'RSA-OAEP-512 needs an RSA key'],
  ] as const)('a shape that does not fit: %j', (input, message) => {
    expect(refusal(input)).toBe(message);
  });
});

describe('partsOf', () => {
  it('carries enc only when the spec has one', () => {
    expect(partsOf({ use: 'sig', alg: 'ES256' })).toEqual({ use: 'sig', alg: 'ES256' });
    expect('enc' in partsOf({ use: 'sig', alg: 'ES256' })).toBe(false);
    expect(partsOf({ use: 'enc', alg: 'dir', enc: 'A128GCM' })).toEqual({
      use: 'enc',
      alg: 'dir',
      enc: 'A128GCM',
    });
  });
});

const set: KeySet = {
  id: 'set-1',
  tenantId: 'tenant-a',
  name: 'web',
  description: '',
  spec: { use: 'sig', alg: 'ES256', shape: { kty: 'EC', crv: 'P-256' } },
  kidFormat: 'uuid',
  maxVersions: 3,
  publish: true,
  currentVersion: 3,
  currentKid: 'kid-3',
  createdAt: 1_000,
  updatedAt: 2_000,
  rotatedAt: 1_700_000_000_000,
};

const version = (n: number, status: 'active' | 'retired'): KeyVersion => ({
  setId: 'set-1',
  tenantId: 'tenant-a',
  version: n,
  kid: `kid-${n}`,
  status,
  createdAt: 1_000,
});

describe('versionStatus', () => {
  it('is current for the active current version, previous for older active ones', () => {
    expect(versionStatus(set, version(3, 'active'))).toBe('current');
    expect(versionStatus(set, version(2, 'active'))).toBe('previous');
  });

  it('is retired for a retired version, even one numbered as current', () => {
    expect(versionStatus(set, version(1, 'retired'))).toBe('retired');
    expect(versionStatus(set, version(3, 'retired'))).toBe('retired');
  });
});

describe('nextRotationAt', () => {
  it('is undefined without a rotation period', () => {
    expect(nextRotationAt(set)).toBeUndefined();
  });

  it('is the last rotation plus the period, in epoch milliseconds', () => {
    expect(nextRotationAt({ ...set, rotationPeriodSeconds: 3600 })).toBe(1_700_003_600_000);
  });
});

describe('versionAad', () => {
  it('names tenant, set and version', () => {
    const aad = versionAad({ tenantId: 'tenant-a', setId: 'set-1', version: 7 });
    expect(aad).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(aad)).toBe('jose-key:tenant-a:set-1:7');
  });

  it('differs when any part differs', () => {
    const base = { tenantId: 't', setId: 's', version: 1 };
    const text = (owner: typeof base) => new TextDecoder().decode(versionAad(owner));
    const all = new Set([
      text(base),
      text({ ...base, tenantId: 'u' }),
      text({ ...base, setId: 'r' }),
      text({ ...base, version: 2 }),
    ]);
    expect(all.size).toBe(4);
  });
});
