import {
  base64url,
  CompactSign,
  decodeProtectedHeader,
  FlattenedSign,
  GeneralSign,
  importJWK,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { SIGNING_ALGORITHMS } from '../domain/algorithms.js';
import { isKmsError } from '../domain/kms-error.js';
import { readJwsKid, signCompact, signFlattened, verify } from './jws-operations.js';
import { loadKey, type LoadedKey } from './loaded-key.js';
import { generateMaterial } from './material-generation.js';
import { failure, keyFor, prepareRsaKeys } from '../../test/support/crypto-fixtures.js';

const text = new TextEncoder();
const payload = text.encode('{"hello":"world"}');

beforeAll(prepareRsaKeys, 30_000);

async function expectInvalid(key: LoadedKey, jws: string | object) {
  const err = await failure(verify(key, jws));
  expect(err.code).toBe('signature-invalid');
  expect(err.message).toBe('signature verification failed');
}

describe('JWS round trips', () => {
  it.each(SIGNING_ALGORITHMS)('%s: compact and flattened', async (algorithm) => {
    const { key } = await keyFor(algorithm);
    const compact = await signCompact(key, payload);
    expect(decodeProtectedHeader(compact)).toEqual({ alg: algorithm, kid: key.kid });
    expect(readJwsKid(compact)).toBe(key.kid);
    expect(await verify(key, compact)).toEqual({
      payload,
      protectedHeader: { alg: algorithm, kid: key.kid },
    });

    const flattened = await signFlattened(key, payload);
    expect(Object.keys(flattened).sort()).toEqual(['payload', 'protected', 'signature']);
    expect(readJwsKid(flattened)).toBe(key.kid);
    expect((await verify(key, flattened)).payload).toEqual(payload);
  });

  it('verifies a general JWS with one signature', async () => {
    const { key } = await keyFor('ES256');
    const jws = new GeneralSign(payload);
    jws
      .addSignature(key.signKey!)
      .setProtectedHeader({ alg: 'ES256' })
      .setUnprotectedHeader({ kid: key.kid });
    const general = await jws.sign();
    expect(readJwsKid(general)).toBe(key.kid);
    expect(await verify(key, general)).toEqual({ payload, protectedHeader: { alg: 'ES256' } });
  });
});

describe('verify refuses', () => {
  it('a tampered payload or signature', async () => {
    const { key } = await keyFor('PS256');
    const [header, body, signature] = (await signCompact(key, payload)).split('.') as [
      string,
      string,
      string,
    ];
    const sig = base64url.decode(signature);
    sig[0] = sig[0]! ^ 1;
    await expectInvalid(key, `${header}.${body}.${base64url.encode(sig)}`);
    await expectInvalid(key, `${header}.${base64url.encode('{"hello":"there"}')}.${signature}`);
    await expectInvalid(key, `${header}.${body}.!!`);
  });

  it('a signature by another key of the same algorithm', async () => {
    const { key } = await keyFor('EdDSA');
    const { key: other } = await keyFor('EdDSA');
    await expectInvalid(other, await signCompact(key, payload));
  });

  it('HS256 over an RS256 key, with the public key as the HMAC secret (alg confusion)', async () => {
    const { material, key } = await keyFor('RS256');
    const secret = text.encode(JSON.stringify(material.publicJwk));
    const forged = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .sign(secret);
    await expectInvalid(key, forged);
  });

  it('PS256 made with the same RSA private key as an RS256 key', async () => {
    const { material, key } = await keyFor('RS256');
    const ps = await importJWK({ ...material.privateJwk, alg: 'PS256' }, 'PS256');
    const jws = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'PS256', kid: key.kid })
      .sign(ps);
    await expectInvalid(key, jws);
  });

  it('alg none', async () => {
    const { key } = await keyFor('HS256');
    const header = base64url.encode(JSON.stringify({ alg: 'none', kid: key.kid }));
    await expectInvalid(key, `${header}.${base64url.encode(payload)}.`);
  });

  it('an unencoded payload (b64: false) and unknown crit', async () => {
    const { key } = await keyFor('HS512');
    const unencoded = await new FlattenedSign(payload)
      .setProtectedHeader({ alg: 'HS512', kid: key.kid, b64: false, crit: ['b64'] })
      .sign(key.signKey!);
    await expectInvalid(key, unencoded);
    const critical = await new CompactSign(payload)
      .setProtectedHeader({ alg: 'HS512', kid: key.kid, crit: ['urn:x'], 'urn:x': 1 })
      .sign(key.signKey!, { crit: { 'urn:x': true } });
    await expectInvalid(key, critical);
    const loose = await new FlattenedSign(payload)
      .setProtectedHeader({ alg: 'HS512', kid: key.kid })
      .setUnprotectedHeader({ b64: true })
      .sign(key.signKey!);
    await expectInvalid(key, loose);
  });

  it('lets programming errors (a key of the wrong type) through', async () => {
    const { key } = await keyFor('ES256');
    const broken: LoadedKey = { ...key, verifyKey: new Uint8Array(32) };
    await expect(verify(broken, await signCompact(key, payload))).rejects.toBeInstanceOf(TypeError);
  });
});

describe('readJwsKid and verify refuse malformed input', () => {
  const header = (h: object) => base64url.encode(JSON.stringify(h));
  const signed = { protected: header({ alg: 'ES256', kid: 'k' }), payload: 'e30', signature: 'AA' };
  it.each([
    ['two parts', 'a.b', 'a compact JWS has three parts'],
    ['a header that is not JSON', 'e.b.c', 'the JWS protected header is malformed'],
    ['no kid', `${header({ alg: 'ES256' })}.b.c`, 'the JWS names no kid'],
    ['a number', 7, 'a JWS is a compact string or a JSON object'],
    ['no payload', { ...signed, payload: undefined }, 'the JWS has no payload'],
    ['no signature', { ...signed, signature: 1 }, 'the JWS has no signature'],
    [
      'no protected header',
      { payload: 'e30', signature: 'AA', header: { alg: 'ES256', kid: 'k' } },
      'the JWS has no protected header',
    ],
    [
      'an unprotected header that is not an object',
      { ...signed, header: [] },
      'the JWS unprotected header is malformed',
    ],
    [
      'two signatures',
      { payload: 'e30', signatures: [signed, signed] },
      'a general JWS must have exactly one signature',
    ],
  ])('%s', async (_what, input, message) => {
    let caught: unknown;
    try {
      readJwsKid(input as string | object);
    } catch (err) {
      caught = err;
    }
    expect(isKmsError(caught, 'malformed-jose')).toBe(true);
    expect((caught as Error).message).toBe(message);
    if (message === 'the JWS names no kid') return;
    const { key } = await keyFor('ES256');
    const err = await failure(verify(key, input as string | object));
    expect(err.code).toBe('malformed-jose');
  });
});

describe('wrong key use', () => {
  it('refuses to sign or verify with an encryption key', async () => {
    const { privateJwk } = await generateMaterial('A256GCM/dir', 'enc');
    const key = await loadKey('A256GCM/dir', privateJwk);
    for (const attempt of [
      () => signCompact(key, payload),
      () => signFlattened(key, payload),
      () => verify(key, 'a.b.c'),
    ]) {
      const err = await failure(attempt());
      expect(err.code).toBe('wrong-key-use');
      expect(err.message).toBe('A256GCM/dir is not a signing algorithm');
    }
  });
});
