// Unseal key sources: dev, secrets (M-of-N HKDF), jwk.
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { createJwkUnsealSource } from './jwk-unseal-source.js';
import { combinations, createSecretsUnsealSource } from './secrets-unseal-source.js';
import { createDevUnsealSource, createSharesUnsealSource, kidForKey } from './unseal-key-source.js';

const secret = (n: number, length = 32): Uint8Array => new Uint8Array(length).fill(n);

describe('kidForKey', () => {
  it('is the mode and a truncated SHA-256 of the key', () => {
    const key = secret(1);
    const digest = createHash('sha256').update(key).digest().subarray(0, 16);
    expect(kidForKey('secrets', key)).toBe(`secrets-${base64url.encode(digest)}`);
  });
});

describe('createDevUnsealSource', () => {
  it('yields one random 256-bit key per source', async () => {
    const [a] = await createDevUnsealSource().keys();
    const [b] = await createDevUnsealSource().keys();
    expect(a?.key).toHaveLength(32);
    expect(a?.kid).toBe(kidForKey('dev', a?.key ?? new Uint8Array()));
    expect(a?.kid).not.toBe(b?.kid);
  });
});

describe('createSharesUnsealSource', () => {
  it('offers no keys and cannot initialise by itself', async () => {
    const source = createSharesUnsealSource();
    expect(source).toMatchObject({ mode: 'shares', canInitialize: false });
    expect(await source.keys()).toEqual([]);
  });
});

describe('combinations', () => {
  it('lists every k-combination in order', () => {
    expect(combinations(['a', 'b', 'c'], 2)).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ]);
    expect(combinations([1, 2, 3, 4], 3)).toHaveLength(4);
    expect(combinations([1], 0)).toEqual([[]]);
  });
});

describe('createSecretsUnsealSource', () => {
  it('derives one HKDF-SHA-256 key per M-combination of the sorted secrets', async () => {
    const [s1, s2, s3] = [secret(3), secret(1, 64), secret(2, 40)];
    const source = createSecretsUnsealSource({ secrets: [s1, s2, s3], threshold: 2 });
    expect(source).toMatchObject({ mode: 'secrets', canInitialize: true });
    const keys = await source.keys();
    const expected = new Uint8Array(
      hkdfSync(
        'sha256',
        Buffer.concat([s2, s3]),
        'cryptoutil barrier unseal v1',
        'cryptoutil barrier unseal key',
        32,
      ),
    );
    expect(keys).toHaveLength(3);
    expect(keys[0]).toEqual({ kid: kidForKey('secrets', expected), key: expected });
  });

  it('is independent of the order of files and stable across instances', async () => {
    const secrets = [secret(1), secret(2), secret(3)];
    const a = await createSecretsUnsealSource({ secrets, threshold: 2 }).keys();
    const b = await createSecretsUnsealSource({
      secrets: [...secrets].reverse(),
      threshold: 2,
    }).keys();
    expect(b).toEqual(a);
  });

  it('with M of N files present unseals but cannot initialise', async () => {
    const source = createSecretsUnsealSource({
      secrets: [secret(1), secret(3)],
      threshold: 2,
      total: 3,
    });
    expect(source.canInitialize).toBe(false);
    expect(await source.keys()).toHaveLength(1);
  });

  it('rejects bad thresholds, sizes and duplicates', () => {
    const two = [secret(1), secret(2)];
    expect(() => createSecretsUnsealSource({ secrets: two, threshold: 3 })).toThrow(
      new TypeError('secrets threshold must be between 1 and 2'),
    );
    expect(() => createSecretsUnsealSource({ secrets: two, threshold: 0 })).toThrow(TypeError);
    expect(() => createSecretsUnsealSource({ secrets: two, threshold: 1, total: 1 })).toThrow(
      new TypeError('more than 1 secrets given'),
    );
    expect(() =>
      createSecretsUnsealSource({ secrets: [secret(1), secret(2, 31)], threshold: 1 }),
    ).toThrow(new TypeError('secret 2 must be 32-64 bytes'));
    expect(() => createSecretsUnsealSource({ secrets: [secret(1, 65)], threshold: 1 })).toThrow(
      TypeError,
    );
    expect(() =>
      createSecretsUnsealSource({ secrets: [secret(1), secret(1)], threshold: 1 }),
    ).toThrow(new TypeError('the same secret is given twice'));
  });
});

describe('createJwkUnsealSource', () => {
  const k = base64url.encode(randomBytes(32));

  it('uses the JWK kid, or its RFC 7638 thumbprint', async () => {
    const keys = await createJwkUnsealSource([
      { kty: 'oct', k, kid: 'ops-1' },
      { kty: 'oct', k },
    ]).keys();
    const thumbprint = base64url.encode(
      createHash('sha256').update(`{"k":"${k}","kty":"oct"}`).digest(),
    );
    expect(keys.map((u) => u.kid)).toEqual(['ops-1', thumbprint]);
    expect(keys[0]?.key).toEqual(base64url.decode(k));
  });

  it('rejects an empty list, non-256-bit or non-oct keys and duplicate kids', () => {
    expect(() => createJwkUnsealSource([])).toThrow(
      new TypeError('jwk unseal mode needs at least one JWK'),
    );
    const message = new TypeError('unseal JWK 1 must be kty "oct" with a 256-bit "k"');
    expect(() =>
      createJwkUnsealSource([{ kty: 'oct', k: base64url.encode(randomBytes(16)) }]),
    ).toThrow(message);
    expect(() => createJwkUnsealSource([{ kty: 'EC', k }])).toThrow(message);
    expect(() => createJwkUnsealSource([{ kty: 'oct', k: '***' }])).toThrow(message);
    expect(() =>
      createJwkUnsealSource([
        { kty: 'oct', k, kid: 'a' },
        { kty: 'oct', k, kid: 'a' },
      ]),
    ).toThrow(new TypeError('unseal JWKs must have distinct kids'));
  });
});
