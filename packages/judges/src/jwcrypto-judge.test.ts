// The judge judged: what jwcrypto_judge.py makes opens in panva/jose, and what jose makes opens
// in the judge, for the operations the JOSE interop test relies on (general JWS with several
// signatures, detached and unencoded payloads, JWE JSON to several recipients with zip, nested
// JWTs). A judge that agreed with nobody would make every interop test meaningless.
import {
  compactDecrypt,
  exportJWK,
  FlattenedSign,
  flattenedVerify,
  generalDecrypt,
  generalVerify,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type FlattenedJWSInput,
  type GeneralJWE,
  type GeneralJWSInput,
  type JWK,
} from 'jose';
import { describe, expect, it } from 'vitest';
import { judge, judgeOk, jwcryptoVersion, type JoseJson } from './jwcrypto-judge.js';

const version = jwcryptoVersion();
const skip = version === undefined && process.env.CI !== 'true';
const b64 = (text: string) => Buffer.from(text).toString('base64url');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const TEXT = 'judge ✓';

/** Private JWKs made by jwcrypto, and their public halves. */
async function keysOf(...shapes: { kty: string; crv?: string; size?: number }[]) {
  const made = await judgeOk(shapes.map((shape) => ({ op: 'generate', ...shape })));
  return made.map(({ jwk }) => {
    const secret = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi']);
    const pub = Object.fromEntries(Object.entries(jwk as JWK).filter(([k]) => !secret.has(k)));
    return { jwk: jwk as JWK, pub };
  });
}

describe.skipIf(skip)(`jwcrypto judge ${version ?? '(missing)'}`, () => {
  it('signs a general JWS with several keys; jose verifies each, and so does the judge', async () => {
    const [ec, rsa] = await keysOf({ kty: 'EC', crv: 'P-256' }, { kty: 'RSA', size: 2048 });
    const signers = [
      { jwk: ec!.jwk, alg: 'ES256', kid: 'e' },
      { jwk: rsa!.jwk, alg: 'PS256', kid: 'r', protected: { typ: 't' }, header: { n: 1 } },
    ];
    const [signed] = await judgeOk([{ op: 'sign', payload: b64(TEXT), signers }]);
    const general = signed?.jws as unknown as GeneralJWSInput;
    for (const [alg, pub] of [
      ['ES256', ec!.pub],
      ['PS256', rsa!.pub],
    ] as const) {
      const verified = await generalVerify(general, await importJWK(pub, alg));
      expect(text(verified.payload)).toBe(TEXT);
    }
    expect(await judge([{ op: 'verify', jwk: rsa!.pub, jws: signed?.jws as JoseJson }])).toEqual([
      {
        ok: true,
        payload: b64(TEXT),
        header: [
          { alg: 'ES256', kid: 'e' },
          { alg: 'PS256', kid: 'r', typ: 't', n: 1 },
        ],
      },
    ]);
  });

  it('makes and checks detached and unencoded (RFC 7797) signatures as jose does', async () => {
    const [ec] = await keysOf({ kty: 'EC', crv: 'P-256' });
    const signer = { jwk: ec!.jwk, alg: 'ES256', kid: 'e' };
    const unencoded = { b64: false, crit: ['b64'] };
    const [detached, flat] = await judgeOk([
      { op: 'sign', ...signer, payload: b64('$.02'), protected: unencoded, detached: true },
      { op: 'sign', ...signer, payload: b64('$.02'), protected: unencoded, flat: true },
    ]);
    const [head, middle, signature] = (detached?.jws as string).split('.');
    expect(middle).toBe('');
    const key = await importJWK(ec!.pub, 'ES256');
    const input = { protected: head, payload: '$.02', signature } as FlattenedJWSInput;
    expect(text((await flattenedVerify(input, key)).payload)).toBe('$.02');
    expect((flat?.jws as JoseJson).payload).toBe('$.02');
    expect(
      text((await flattenedVerify(flat?.jws as unknown as FlattenedJWSInput, key)).payload),
    ).toBe('$.02');
    // jose signs unencoded (compact is its flattened parts); the judge verifies it.
    const made = await new FlattenedSign(new TextEncoder().encode('$02'))
      .setProtectedHeader({ alg: 'ES256', ...unencoded })
      .sign(await importJWK(ec!.jwk, 'ES256'));
    const compact = `${made.protected ?? ''}.$02.${made.signature}`;
    expect(
      await judge([
        { op: 'verify', jwk: ec!.pub, jws: compact },
        { op: 'verify', jwk: ec!.pub, jws: detached?.jws as string, payload: b64('$.02') },
        { op: 'verify', jwk: ec!.pub, jws: detached?.jws as string, payload: b64('$.03') },
      ]),
    ).toEqual([
      { ok: true, payload: b64('$02'), header: { alg: 'ES256', ...unencoded } },
      { ok: true, payload: b64('$.02'), header: { alg: 'ES256', kid: 'e', ...unencoded } },
      { ok: false, error: 'InvalidJWSSignature' },
    ]);
  });

  it('encrypts JWE JSON to several recipients with zip and aad; jose opens it for each', async () => {
    const [rsa, ec, oct] = await keysOf(
      { kty: 'RSA', size: 2048 },
      { kty: 'EC', crv: 'P-384' },
      { kty: 'oct', size: 256 },
    );
    const recipients = [
      { jwk: rsa!.pub, alg: 'RSA-OAEP-512', kid: 'r' },
      { jwk: ec!.pub, alg: 'ECDH-ES+A192KW', kid: 'e' },
      { jwk: oct!.jwk, alg: 'A256GCMKW', kid: 'o' },
    ];
    const [sealed] = await judgeOk([
      {
        op: 'encrypt',
        enc: 'A128CBC-HS256',
        plaintext: b64(TEXT.repeat(50)),
        protected: { zip: 'DEF', cty: 'text/plain' },
        aad: b64('aad'),
        recipients,
      },
    ]);
    const jwe = sealed?.jwe as unknown as GeneralJWE;
    for (const [alg, jwk] of [
      ['RSA-OAEP-512', rsa!.jwk],
      ['ECDH-ES+A192KW', ec!.jwk],
      ['A256GCMKW', oct!.jwk],
    ] as const) {
      const opened = await generalDecrypt(jwe, await importJWK(jwk, alg));
      expect([text(opened.plaintext), opened.protectedHeader]).toEqual([
        TEXT.repeat(50),
        { enc: 'A128CBC-HS256', zip: 'DEF', cty: 'text/plain' },
      ]);
    }
  });

  it('nests a signed JWT in a JWE (RFC 7519 §5.2) that jose opens and verifies', async () => {
    const [ec] = await keysOf({ kty: 'EC', crv: 'P-256' });
    const pair = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    const to = {
      jwk: await exportJWK(pair.publicKey),
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      kid: 'x',
    };
    const claims = { sub: 'alice', exp: Math.floor(Date.now() / 1000) + 60 };
    const [nested] = await judgeOk([
      { op: 'jwt-sign', jwk: ec!.jwk, alg: 'ES256', kid: 'e', claims, encryptTo: to },
    ]);
    const outer = await compactDecrypt(nested?.jwt as string, pair.privateKey);
    expect(outer.protectedHeader).toEqual({
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      kid: 'x',
      cty: 'JWT',
    });
    const inner = await jwtVerify(text(outer.plaintext), await importJWK(ec!.pub, 'ES256'));
    expect(inner.payload).toEqual(claims);
  });

  it('answers a failed case with the exception class only; judgeOk names the case', async () => {
    const [a, b] = await keysOf({ kty: 'oct', size: 128 }, { kty: 'oct', size: 128 });
    const [sealed] = await judgeOk([
      { op: 'encrypt', jwk: a!.jwk, alg: 'A128KW', enc: 'A128GCM', kid: 'a', plaintext: b64(TEXT) },
    ]);
    const wrongKey = { op: 'decrypt', jwk: b!.jwk, jwe: sealed?.jwe as string } as const;
    expect(await judge([wrongKey])).toEqual([{ ok: false, error: 'InvalidJWEData' }]);
    await expect(judgeOk([{ op: 'generate', kty: 'oct', size: 128 }, wrongKey])).rejects.toThrow(
      /^jwcrypto decrypt case 1 failed: InvalidJWEData$/,
    );
  });
});
