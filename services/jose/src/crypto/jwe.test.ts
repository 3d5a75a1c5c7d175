// JWE encryption to the compact and JSON serializations (RFC 7516 §7) for one or several
// recipients, DEFLATE and AAD, read back through parseJwe and decryptFor; and the one
// `decryption-failed` for every way decryption can fail, the decompression cap included.
import { randomBytes } from 'node:crypto';
import type { JoseKey } from '@cryptoutil/jwa';
import {
  base64url,
  decodeProtectedHeader,
  FlattenedEncrypt,
  GeneralEncrypt,
  generateKeyPair,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { isJoseError, type JoseErrorCode } from '../domain/jose-error.js';
import { parseJwe, type ParsedJwe } from './jose-input.js';
import { decryptFor, encryptJwe, type EncryptOptions, type Recipient } from './jwe.js';

const text = (value: string) => new TextEncoder().encode(value);
const PLAINTEXT = text('attack at dawn');
const CAP = 1 << 20;

const kwKey = new Uint8Array(randomBytes(32));
const dirKey = new Uint8Array(randomBytes(32));
const kw: Recipient = { kid: 'kw-1', alg: 'A256KW', key: kwKey };
const dir: Recipient = { kid: 'dir-1', alg: 'dir', key: dirKey };
let rsa: { publicKey: JoseKey; privateKey: JoseKey };
let ecdh: { publicKey: JoseKey; privateKey: JoseKey };
let rsaRecipient: Recipient;
const ecdhRecipient = (): Recipient => ({ kid: 'ec-1', alg: 'ECDH-ES', key: ecdh.publicKey });

beforeAll(async () => {
  rsa = await generateKeyPair('RSA-OAEP-256');
  ecdh = await generateKeyPair('ECDH-ES');
  rsaRecipient = { kid: 'rsa-1', alg: 'RSA-OAEP-256', key: rsa.publicKey };
});

function options(overrides: Partial<EncryptOptions>): EncryptOptions {
  return {
    plaintext: PLAINTEXT,
    enc: 'A256GCM',
    zip: false,
    serialization: 'compact',
    recipients: [kw],
    ...overrides,
  };
}

async function refusal(overrides: Partial<EncryptOptions>, code: JoseErrorCode): Promise<string> {
  try {
    await encryptJwe(options(overrides));
  } catch (err) {
    expect(isJoseError(err, code)).toBe(true);
    return (err as Error).message;
  }
  throw new Error('the request was accepted');
}

/** Decrypts recipient `i` of an encrypted JWE and answers the plaintext text. */
async function open(
  jwe: ParsedJwe,
  i: number,
  key: JoseKey,
  alg: Recipient['alg'],
  encs: EncryptOptions['enc'][] = ['A256GCM'],
) {
  const result = await decryptFor(jwe, jwe.recipients[i]!, key, alg, encs, CAP);
  return new TextDecoder().decode(result.plaintext);
}

async function decryptionFailed(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    expect(isJoseError(err, 'decryption-failed')).toBe(true);
    expect((err as Error).message).toBe('decryption failed');
    return;
  }
  throw new Error('decryption succeeded');
}

describe('encryptJwe compact', () => {
  it('puts enc, alg, kid and the caller’s header in the protected header', async () => {
    const jwe = await encryptJwe(options({ protectedHeader: { cty: 'text/plain', typ: 'x' } }));
    expect(typeof jwe).toBe('string');
    expect((jwe as string).split('.')).toHaveLength(5);
    expect(decodeProtectedHeader(jwe as string)).toEqual({
      cty: 'text/plain',
      typ: 'x',
      enc: 'A256GCM',
      alg: 'A256KW',
      kid: 'kw-1',
    });
    expect(await open(parseJwe(jwe), 0, kwKey, 'A256KW')).toBe('attack at dawn');
  });

  it.each([
    ['dir', () => dir, () => dirKey],
    ['RSA-OAEP-256', () => rsaRecipient, () => rsa.privateKey],
    ['ECDH-ES', () => ecdhRecipient(), () => ecdh.privateKey],
  ] as const)('round-trips with %s', async (alg, recipient, key) => {
    const jwe = await encryptJwe(options({ recipients: [recipient()] }));
    expect(await open(parseJwe(jwe), 0, key(), alg)).toBe('attack at dawn');
  });

  it('refuses a recipient header', async () => {
    expect(
      await refusal({ recipients: [{ ...kw, header: { 'urn:x': 1 } }] }, 'invalid-request'),
    ).toBe('the compact serialization has no unprotected header');
  });

  it('refuses aad', async () => {
    expect(await refusal({ aad: text('context') }, 'invalid-request')).toBe(
      'aad needs the json serialization',
    );
  });

  it('refuses several recipients', async () => {
    expect(await refusal({ recipients: [kw, rsaRecipient] }, 'invalid-request')).toBe(
      'several recipients need the json serialization',
    );
  });
});

describe('encryptJwe json, one recipient (flattened)', () => {
  it('carries the recipient header unprotected and the aad', async () => {
    const jwe = await encryptJwe(
      options({
        serialization: 'json',
        aad: text('context'),
        recipients: [{ ...rsaRecipient, header: { 'urn:r': 'x' } }],
      }),
    );
    expect(Object.keys(jwe).sort()).toEqual([
      'aad',
      'ciphertext',
      'encrypted_key',
      'header',
      'iv',
      'protected',
      'tag',
    ]);
    const flat = jwe as { header: unknown; aad: string; protected: string };
    expect(flat.header).toEqual({ 'urn:r': 'x' });
    expect(flat.aad).toBe(base64url.encode('context'));
    expect(decodeProtectedHeader(flat)).toEqual({
      enc: 'A256GCM',
      alg: 'RSA-OAEP-256',
      kid: 'rsa-1',
    });
    const parsed = parseJwe(jwe);
    const result = await decryptFor(
      parsed,
      parsed.recipients[0]!,
      rsa.privateKey,
      'RSA-OAEP-256',
      ['A256GCM'],
      CAP,
    );
    expect(result.plaintext).toEqual(PLAINTEXT);
    expect(result.aad).toEqual(text('context'));
    expect(result.protectedHeader).toEqual({ enc: 'A256GCM', alg: 'RSA-OAEP-256', kid: 'rsa-1' });
  });

  it('has no header or aad member when none is given', async () => {
    const jwe = await encryptJwe(options({ serialization: 'json', recipients: [dir] }));
    expect('header' in (jwe as object)).toBe(false);
    expect('aad' in (jwe as object)).toBe(false);
    expect('encrypted_key' in (jwe as object)).toBe(false);
    const parsed = parseJwe(jwe);
    const result = await decryptFor(parsed, parsed.recipients[0]!, dirKey, 'dir', ['A256GCM'], CAP);
    expect('aad' in result).toBe(false);
  });

  it('refuses a name in the protected and the recipient header', async () => {
    expect(
      await refusal(
        {
          serialization: 'json',
          protectedHeader: { typ: 'a' },
          recipients: [{ ...kw, header: { typ: 'b' } }],
        },
        'invalid-header',
      ),
    ).toBe('the recipient sets typ in more than one header');
  });
});

describe('encryptJwe json, several recipients (general)', () => {
  it('wraps one CEK per recipient, each opening with its own key only', async () => {
    const jwe = await encryptJwe(
      options({
        serialization: 'json',
        aad: text('context'),
        protectedHeader: { cty: 'text/plain' },
        recipients: [kw, { ...rsaRecipient, header: { 'urn:r': 1 } }],
      }),
    );
    const general = jwe as { protected: string; recipients: { header: unknown }[] };
    expect(decodeProtectedHeader(general)).toEqual({ cty: 'text/plain', enc: 'A256GCM' });
    expect(general.recipients.map((r) => r.header)).toEqual([
      { alg: 'A256KW', kid: 'kw-1' },
      { 'urn:r': 1, alg: 'RSA-OAEP-256', kid: 'rsa-1' },
    ]);
    const parsed = parseJwe(jwe);
    expect(parsed.serialization).toBe('general');
    expect(await open(parsed, 0, kwKey, 'A256KW')).toBe('attack at dawn');
    expect(await open(parsed, 1, rsa.privateKey, 'RSA-OAEP-256')).toBe('attack at dawn');
    await decryptionFailed(() => open(parsed, 0, new Uint8Array(32), 'A256KW'));
  });

  it.each([
    ['dir', () => dir],
    ['ECDH-ES', () => ecdhRecipient()],
  ] as const)('refuses %s among several recipients', async (_alg, direct) => {
    expect(
      await refusal({ serialization: 'json', recipients: [kw, direct()] }, 'invalid-request'),
    ).toBe('dir and ECDH-ES take exactly one recipient');
  });

  it('refuses a recipient header that repeats a shared name', async () => {
    expect(
      await refusal(
        {
          serialization: 'json',
          protectedHeader: { typ: 'a' },
          recipients: [kw, { ...rsaRecipient, header: { typ: 'b' } }],
        },
        'invalid-header',
      ),
    ).toBe('the recipient sets typ in more than one header');
  });

  it('refuses a reserved recipient header', async () => {
    expect(
      await refusal(
        { serialization: 'json', recipients: [kw, { ...rsaRecipient, header: { epk: {} } }] },
        'invalid-header',
      ),
    ).toBe('recipient header may not set epk: the service sets it');
  });
});

describe('encryptJwe refuses', () => {
  it('no recipient', async () => {
    expect(await refusal({ recipients: [] }, 'invalid-request')).toBe('at least one recipient');
  });

  it.each(['zip', 'enc', 'alg', 'kid', 'epk', 'p2c'])('a protected %s', async (name) => {
    expect(await refusal({ protectedHeader: { [name]: 'x' } }, 'invalid-header')).toBe(
      `protectedHeader may not set ${name}: the service sets it`,
    );
  });
});

describe('encryptJwe with zip', () => {
  const big = text('a'.repeat(10_000));

  it('marks zip DEF in the protected header and compresses', async () => {
    const jwe = await encryptJwe(options({ plaintext: big, zip: true }));
    expect(decodeProtectedHeader(jwe as string)).toMatchObject({ zip: 'DEF' });
    const parsed = parseJwe(jwe);
    expect(base64url.decode(parsed.ciphertext).length).toBeLessThan(200);
    expect(await open(parsed, 0, kwKey, 'A256KW')).toBe('a'.repeat(10_000));
  });

  it('fails decryption when the inflated plaintext is over the cap', async () => {
    const parsed = parseJwe(await encryptJwe(options({ plaintext: big, zip: true })));
    await expect(
      decryptFor(parsed, parsed.recipients[0]!, kwKey, 'A256KW', ['A256GCM'], 10_000),
    ).resolves.toBeDefined();
    await decryptionFailed(() =>
      decryptFor(parsed, parsed.recipients[0]!, kwKey, 'A256KW', ['A256GCM'], 9_999),
    );
  });

  it('has no zip member without zip', async () => {
    const jwe = await encryptJwe(options({}));
    expect('zip' in decodeProtectedHeader(jwe as string)).toBe(false);
  });
});

describe('decryptFor fails as decryption-failed', () => {
  let parsed: ParsedJwe;
  beforeAll(async () => {
    parsed = parseJwe(await encryptJwe(options({ serialization: 'json', aad: text('ctx') })));
  });

  it('with another key', async () => {
    await decryptionFailed(() => open(parsed, 0, new Uint8Array(32), 'A256KW'));
  });

  it('with an alg the JWE does not use', async () => {
    await decryptionFailed(() => open(parsed, 0, kwKey, 'A128KW'));
  });

  it('with an enc not admitted', async () => {
    await decryptionFailed(() => open(parsed, 0, kwKey, 'A256KW', ['A128GCM']));
  });

  it('with a changed tag, ciphertext or aad', async () => {
    const flip = (value: string) => {
      const bytes = base64url.decode(value);
      bytes[0] = bytes[0]! ^ 1;
      return base64url.encode(bytes);
    };
    await decryptionFailed(() => open({ ...parsed, tag: flip(parsed.tag) }, 0, kwKey, 'A256KW'));
    await decryptionFailed(() =>
      open({ ...parsed, ciphertext: flip(parsed.ciphertext) }, 0, kwKey, 'A256KW'),
    );
    await decryptionFailed(() =>
      open({ ...parsed, aad: base64url.encode('other') }, 0, kwKey, 'A256KW'),
    );
  });

  it('with a key of no usable type', async () => {
    await decryptionFailed(() => open(parsed, 0, 'secret' as unknown as JoseKey, 'A256KW'));
  });
});

describe('decryptFor with a shared unprotected header', () => {
  it('passes the shared header through to the decryption', async () => {
    const general = await new GeneralEncrypt(PLAINTEXT)
      .setProtectedHeader({ enc: 'A256GCM' })
      .setSharedUnprotectedHeader({ cty: 'text/plain' })
      .addRecipient(kwKey)
      .setUnprotectedHeader({ alg: 'A256KW', kid: 'kw-1' })
      .encrypt();
    const parsed = parseJwe(general);
    expect(parsed.unprotected).toEqual({ cty: 'text/plain' });
    expect(parsed.recipients[0]!.joseHeader).toEqual({
      enc: 'A256GCM',
      cty: 'text/plain',
      alg: 'A256KW',
      kid: 'kw-1',
    });
    expect(await open(parsed, 0, kwKey, 'A256KW')).toBe('attack at dawn');
  });
});

describe('decryptFor without a protected header', () => {
  it('decrypts a JWE whose headers are all unprotected, answering no protected header', async () => {
    const flat = await new FlattenedEncrypt(PLAINTEXT)
      .setSharedUnprotectedHeader({ alg: 'A256KW', enc: 'A256GCM' })
      .encrypt(kwKey);
    const parsed = parseJwe(flat);
    expect(parsed.protected).toBeUndefined();
    const result = await decryptFor(
      parsed,
      parsed.recipients[0]!,
      kwKey,
      'A256KW',
      ['A256GCM'],
      CAP,
    );
    expect(result.plaintext).toEqual(PLAINTEXT);
    expect('protectedHeader' in result).toBe(false);
  });
});
