import {
  base64url,
  compactDecrypt,
  CompactEncrypt,
  decodeProtectedHeader,
  FlattenedEncrypt,
  GeneralEncrypt,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ELASTIC_KEY_ALGORITHMS } from '../domain/algorithms.js';
import { isKmsError } from '../domain/kms-error.js';
import { decrypt, encryptCompact, encryptFlattened, readJweKid } from './jwe-operations.js';
import { loadKey, type LoadedKey } from './loaded-key.js';
import { generateMaterial } from './material-generation.js';
import { failure, keyFor, prepareRsaKeys } from '../../test/support/crypto-fixtures.js';

const ENCRYPTION = ELASTIC_KEY_ALGORITHMS.filter((a) => a.includes('/'));
const text = new TextEncoder();
const plaintext = text.encode('attack at dawn');

beforeAll(prepareRsaKeys, 30_000);

async function expectDecryptionFailed(key: LoadedKey, jwe: string | object) {
  const err = await failure(decrypt(key, jwe));
  expect(err.code).toBe('decryption-failed');
  expect(err.message).toBe('decryption failed');
}

describe('JWE round trips', () => {
  it('covers all 90 encryption algorithm ids', () => {
    expect(ENCRYPTION).toHaveLength(90);
  });

  it.each(ENCRYPTION)('%s: compact and flattened', async (algorithm) => {
    const { key } = await keyFor(algorithm);
    const [enc, alg] = algorithm.split('/');
    const compact = await encryptCompact(key, plaintext);
    expect(compact.split('.')).toHaveLength(5);
    const header = decodeProtectedHeader(compact);
    expect(header).toMatchObject({ alg, enc, kid: key.kid });
    expect(header).not.toHaveProperty('zip');
    expect(readJweKid(compact)).toBe(key.kid);
    expect(await decrypt(key, compact)).toEqual({ plaintext });

    const aad = text.encode('context');
    const flattened = await encryptFlattened(key, plaintext, aad);
    expect(flattened.aad).toBe(base64url.encode(aad));
    expect(readJweKid(flattened)).toBe(key.kid);
    expect(await decrypt(key, flattened)).toEqual({ plaintext, aad });
  });
});

describe('encryptFlattened', () => {
  it('emits aad only when given, and an empty one as none (RFC 7516 §7.2.1)', async () => {
    const { key } = await keyFor('A256GCM/dir');
    const without = await encryptFlattened(key, plaintext);
    expect(Object.keys(without).sort()).toEqual(['ciphertext', 'iv', 'protected', 'tag']);
    expect(await decrypt(key, without)).toEqual({ plaintext });
    const empty = await encryptFlattened(key, plaintext, new Uint8Array());
    expect(empty).not.toHaveProperty('aad');
  });
});

describe('decrypt refuses', () => {
  it('a JWE with any part tampered', async () => {
    const { key } = await keyFor('A128CBC-HS256/A128KW');
    const parts = (await encryptCompact(key, plaintext)).split('.');
    for (const i of [1, 2, 3, 4]) {
      const bytes = base64url.decode(parts[i]!);
      bytes[0] = bytes[0]! ^ 1;
      const tampered = parts.map((p, j) => (j === i ? base64url.encode(bytes) : p));
      await expectDecryptionFailed(key, tampered.join('.'));
    }
    const header = base64url.encode(
      JSON.stringify({ ...decodeProtectedHeader(parts.join('.')), x: 1 }),
    );
    await expectDecryptionFailed(key, [header, ...parts.slice(1)].join('.'));
  });

  it('tampered aad', async () => {
    const { key } = await keyFor('A256GCM/A256GCMKW');
    const jwe = await encryptFlattened(key, plaintext, text.encode('context'));
    await expectDecryptionFailed(key, { ...jwe, aad: base64url.encode('other') });
  });

  it('a JWE for another key of the same algorithm', async () => {
    const { key } = await keyFor('A256GCM/ECDH-ES');
    const { key: other } = await keyFor('A256GCM/ECDH-ES');
    await expectDecryptionFailed(other, await encryptCompact(key, plaintext));
  });

  it('another alg, even one the key bytes would serve (no algorithm confusion)', async () => {
    const { material, key } = await keyFor('A256GCM/A256KW');
    const secret = base64url.decode(material.privateJwk.k!);
    const jwe = await new CompactEncrypt(plaintext)
      .setProtectedHeader({ alg: 'A256GCMKW', enc: 'A256GCM', kid: key.kid })
      .encrypt(secret);
    await expectDecryptionFailed(key, jwe);
  });

  it('another enc', async () => {
    const { material, key } = await keyFor('A256GCM/A256KW');
    const secret = base64url.decode(material.privateJwk.k!);
    const jwe = await new CompactEncrypt(plaintext)
      .setProtectedHeader({ alg: 'A256KW', enc: 'A128GCM', kid: key.kid })
      .encrypt(secret);
    await expectDecryptionFailed(key, jwe);
  });

  it('a compressed JWE (zip), which jose itself would open', async () => {
    const { material, key } = await keyFor('A256GCM/dir');
    const secret = base64url.decode(material.privateJwk.k!);
    const jwe = await new CompactEncrypt(plaintext)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: key.kid, zip: 'DEF' })
      .encrypt(secret);
    expect((await compactDecrypt(jwe, secret)).plaintext).toEqual(plaintext);
    await expectDecryptionFailed(key, jwe);
  });

  it('a JWE with a crit extension', async () => {
    const { material, key } = await keyFor('A256GCM/dir');
    const secret = base64url.decode(material.privateJwk.k!);
    const jwe = await new CompactEncrypt(plaintext)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: key.kid, crit: ['urn:x'], 'urn:x': 1 })
      .encrypt(secret, { crit: { 'urn:x': true } });
    await expectDecryptionFailed(key, jwe);
  });

  it('input that is not a JWE at all', async () => {
    const { key } = await keyFor('A256GCM/dir');
    for (const input of ['a.b.c', 'not-a-jwe', {}, [], 42, { ciphertext: 'x', protected: '!' }]) {
      await expectDecryptionFailed(key, input as string | object);
    }
  });

  it('a general JWE with two recipients', async () => {
    const { key } = await keyFor('A256GCM/A256KW');
    const { key: other } = await keyFor('A256GCM/A256KW');
    const jwe = new GeneralEncrypt(plaintext).setProtectedHeader({ enc: 'A256GCM' });
    jwe.addRecipient(key.encryptKey!).setUnprotectedHeader({ alg: 'A256KW', kid: key.kid });
    jwe.addRecipient(other.encryptKey!).setUnprotectedHeader({ alg: 'A256KW', kid: other.kid });
    await expectDecryptionFailed(key, await jwe.encrypt());
  });
});

describe('JSON serializations', () => {
  it('decrypts a general JWE with one recipient, kid in its per-recipient header', async () => {
    const { key } = await keyFor('A128GCM/RSA-OAEP-256');
    const jwe = new GeneralEncrypt(plaintext)
      .setProtectedHeader({ enc: 'A128GCM' })
      .setAdditionalAuthenticatedData(text.encode('ctx'));
    jwe.addRecipient(key.encryptKey!).setUnprotectedHeader({ alg: 'RSA-OAEP-256', kid: key.kid });
    const general = await jwe.encrypt();
    expect(readJweKid(general)).toBe(key.kid);
    expect(await decrypt(key, general)).toEqual({ plaintext, aad: text.encode('ctx') });
  });

  it('reads the kid from the shared unprotected header of a flattened JWE', async () => {
    const { key } = await keyFor('A256GCM/dir');
    const jwe = await new FlattenedEncrypt(plaintext)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setSharedUnprotectedHeader({ kid: key.kid })
      .encrypt(key.encryptKey!);
    expect(readJweKid(jwe)).toBe(key.kid);
    expect(await decrypt(key, jwe)).toEqual({ plaintext });
  });
});

describe('a JWE without a protected header', () => {
  it('is read and decrypted from its unprotected headers', async () => {
    const { key } = await keyFor('A128GCM/A128KW');
    const jwe = await new FlattenedEncrypt(plaintext)
      .setSharedUnprotectedHeader({ alg: 'A128KW', enc: 'A128GCM', kid: key.kid })
      .encrypt(key.encryptKey!);
    expect(jwe).not.toHaveProperty('protected');
    expect(readJweKid(jwe)).toBe(key.kid);
    expect(await decrypt(key, jwe)).toEqual({ plaintext });
  });

  it('is refused when an unprotected header asks for zip', async () => {
    const { key } = await keyFor('A128GCM/A128KW');
    const jwe = await new FlattenedEncrypt(plaintext)
      .setSharedUnprotectedHeader({ alg: 'A128KW', enc: 'A128GCM', kid: key.kid })
      .encrypt(key.encryptKey!);
    await expectDecryptionFailed(key, { ...jwe, header: { zip: 'DEF' } });
  });
});

describe('readJweKid refuses', () => {
  const header = (h: object) => base64url.encode(JSON.stringify(h));
  it.each([
    ['four parts', 'a.b.c.d', 'a compact JWE has five parts'],
    [
      'a header that is not JSON',
      `${base64url.encode('{')}.a.b.c.d`,
      'the JWE protected header is malformed',
    ],
    [
      'a header that is not an object',
      `${header([1])}.a.b.c.d`,
      'the JWE protected header is malformed',
    ],
    [
      'a header with invalid UTF-8',
      `${base64url.encode(new Uint8Array([0xff]))}.a.b.c.d`,
      'the JWE protected header is malformed',
    ],
    ['no kid', `${header({ alg: 'dir', enc: 'A256GCM' })}.a.b.c.d`, 'the JWE names no kid'],
    ['an empty kid', `${header({ kid: '' })}.a.b.c.d`, 'the JWE names no kid'],
    ['a number', 42, 'a JWE is a compact string or a JSON object'],
    ['an array', [], 'a JWE is a compact string or a JSON object'],
    ['no ciphertext', { protected: header({ kid: 'k' }) }, 'the JWE has no ciphertext'],
    [
      'a protected member that is not a string',
      { ciphertext: 'x', protected: {} },
      'the JWE protected header is malformed',
    ],
    [
      'an unprotected member that is not an object',
      { ciphertext: 'x', unprotected: 'k' },
      'the JWE unprotected header is malformed',
    ],
    [
      'no recipients',
      { ciphertext: 'x', recipients: [] },
      'a general JWE must have exactly one recipient',
    ],
    [
      'two recipients',
      { ciphertext: 'x', recipients: [{}, {}] },
      'a general JWE must have exactly one recipient',
    ],
    [
      'a recipient that is not an object',
      { ciphertext: 'x', recipients: ['k'] },
      'a general JWE must have exactly one recipient',
    ],
  ])('%s', (_what, input, message) => {
    let caught: unknown;
    try {
      readJweKid(input as string | object);
    } catch (err) {
      caught = err;
    }
    expect(isKmsError(caught, 'malformed-jose')).toBe(true);
    expect((caught as Error).message).toBe(message);
  });
});

describe('wrong key use', () => {
  it('refuses to encrypt or decrypt with a signing key', async () => {
    const { privateJwk } = await generateMaterial('ES256', 'sig');
    const key = await loadKey('ES256', privateJwk);
    for (const attempt of [
      () => encryptCompact(key, plaintext),
      () => encryptFlattened(key, plaintext),
      () => decrypt(key, 'a.b.c.d.e'),
    ]) {
      const err = await failure(attempt());
      expect(err.code).toBe('wrong-key-use');
      expect(err.message).toBe('ES256 is not an encryption algorithm');
    }
  });
});
