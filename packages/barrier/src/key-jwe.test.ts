// The stored-key JWE scheme: dir/A256GCM under the parent, kid of the parent in the header.
import { randomBytes } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { BarrierError } from './barrier-error.js';
import { parentKidOf, unwrapKey, wrapKey } from './key-jwe.js';

const key = (): Uint8Array => new Uint8Array(randomBytes(32));

describe('wrapKey / unwrapKey', () => {
  const child = { kid: 'child-1', key: key() };
  const parent = { kid: 'parent-1', key: key() };

  it('round-trips a key and names the parent in the protected header', async () => {
    const jwe = await wrapKey(child, parent);
    expect(decodeProtectedHeader(jwe)).toEqual({
      alg: 'dir',
      enc: 'A256GCM',
      kid: 'parent-1',
      cty: 'jwk+json',
    });
    expect(parentKidOf(jwe)).toBe('parent-1');
    const unwrapped = await unwrapKey(jwe, 'child-1', parent.key);
    expect(unwrapped).toMatchObject({
      extractable: false,
      algorithm: { name: 'AES-GCM', length: 256 },
    });
    // The unwrapped CryptoKey is the child key: what it encrypts, the raw bytes decrypt.
    const data = await new CompactEncrypt(new Uint8Array([1, 2, 3]))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(unwrapped);
    expect((await compactDecrypt(data, child.key)).plaintext).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('rejects the wrong parent key, another id and a tampered JWE without naming the key', async () => {
    const jwe = await wrapKey(child, parent);
    const parts = jwe.split('.');
    const tampered = [...parts.slice(0, 3), `A${(parts[3] ?? '').slice(1)}`, parts[4]].join('.');
    for (const [text, kid, k] of [
      [jwe, 'child-1', key()],
      [jwe, 'child-2', parent.key],
      [tampered, 'child-1', parent.key],
      ['not a jwe', 'child-1', parent.key],
    ] as const) {
      const err = await unwrapKey(text, kid, k).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BarrierError);
      expect(err).toMatchObject({
        code: 'decrypt-failed',
        message: `key ${kid}: decryption failed`,
      });
    }
  });

  it('parentKidOf is undefined for malformed input or a missing kid', () => {
    expect(parentKidOf('garbage')).toBeUndefined();
    const noKid = `${Buffer.from('{"alg":"dir","enc":"A256GCM"}').toString('base64url')}....`;
    expect(parentKidOf(noKid)).toBeUndefined();
  });
});
