// Reading JWS and JWE inputs before any key is involved (RFC 7515 §5.2, §7; RFC 7516 §5.2, §7):
// the normalized form of each serialization and the fixed phrase of every malformed branch.
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { isJoseError } from '../domain/jose-error.js';
import { parseJwe, parseJws, stringMember } from './jose-input.js';

const header = (value: unknown) => base64url.encode(JSON.stringify(value));
const ES256 = header({ alg: 'ES256', kid: 'k1' });
const DIR = header({ alg: 'dir', enc: 'A256GCM', kid: 'k2' });

/** The JoseError message of a malformed input, asserting the code. */
function malformed(parse: (input: unknown) => unknown, input: unknown): string {
  try {
    parse(input);
  } catch (err) {
    expect(isJoseError(err, 'malformed-jose')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('the input was accepted');
}

describe('parseJws', () => {
  it('reads a compact JWS', () => {
    expect(parseJws(`${ES256}.cGF5bG9hZA.c2ln`)).toEqual({
      serialization: 'compact',
      payload: 'cGF5bG9hZA',
      signatures: [
        {
          protected: ES256,
          protectedHeader: { alg: 'ES256', kid: 'k1' },
          header: undefined,
          signature: 'c2ln',
        },
      ],
    });
  });

  it('reads a compact JWS with a detached payload as payload undefined', () => {
    expect(parseJws(`${ES256}..c2ln`).payload).toBeUndefined();
  });

  it('keeps an unencoded (b64: false) compact payload as it travels', () => {
    const b64false = header({ alg: 'HS256', b64: false, crit: ['b64'] });
    expect(parseJws(`${b64false}.$ raw text!.c2ln`).payload).toBe('$ raw text!');
  });

  it('reads a flattened JWS with an unprotected header', () => {
    expect(
      parseJws({ protected: ES256, header: { typ: 'x' }, payload: 'cA', signature: 'c2ln' }),
    ).toEqual({
      serialization: 'flattened',
      payload: 'cA',
      signatures: [
        {
          protected: ES256,
          protectedHeader: { alg: 'ES256', kid: 'k1' },
          header: { typ: 'x' },
          signature: 'c2ln',
        },
      ],
    });
  });

  it('reads a JSON JWS whose header is all unprotected (RFC 7515 §7.2.1)', () => {
    expect(
      parseJws({ header: { alg: 'ES256', kid: 'k1' }, payload: 'cA', signature: 'AA' }),
    ).toEqual({
      serialization: 'flattened',
      payload: 'cA',
      signatures: [
        {
          protected: undefined,
          protectedHeader: {},
          header: { alg: 'ES256', kid: 'k1' },
          signature: 'AA',
        },
      ],
    });
  });

  it('reads a detached flattened JWS as payload undefined', () => {
    expect(parseJws({ protected: ES256, signature: 'c2ln' }).payload).toBeUndefined();
  });

  it('reads a general JWS with several signatures', () => {
    const other = header({ alg: 'EdDSA', kid: 'k3' });
    const jws = parseJws({
      payload: 'cA',
      signatures: [
        { protected: ES256, signature: 'AA' },
        { protected: other, header: { cty: 'x' }, signature: 'BB' },
      ],
    });
    expect(jws).toEqual({
      serialization: 'general',
      payload: 'cA',
      signatures: [
        {
          protected: ES256,
          protectedHeader: { alg: 'ES256', kid: 'k1' },
          header: undefined,
          signature: 'AA',
        },
        {
          protected: other,
          protectedHeader: { alg: 'EdDSA', kid: 'k3' },
          header: { cty: 'x' },
          signature: 'BB',
        },
      ],
    });
  });

  it.each([
    ['two parts', `${ES256}.cA`, 'a compact JWS has three parts'],
    ['four parts', `${ES256}.cA.c2ln.x`, 'a compact JWS has three parts'],
    ['a number', 42, 'a JWS is a compact string or a JSON object'],
    ['null', null, 'a JWS is a compact string or a JSON object'],
    ['an array', [ES256], 'a JWS is a compact string or a JSON object'],
    [
      'a payload that is not a string',
      { protected: ES256, payload: 1, signature: 'AA' },
      'the JWS payload is malformed',
    ],
    ['no header at all', { payload: 'cA', signature: 'AA' }, 'the JWS signature has no header'],
    [
      'a compact JWS with an empty protected header',
      '.cA.c2ln',
      'the JWS protected header is malformed',
    ],
    [
      'a protected header that is not a string',
      { protected: 5, signature: 'AA' },
      'the JWS protected header is malformed',
    ],
    [
      'a protected header in base64 with padding',
      { protected: `${ES256}=`, signature: 'AA' },
      'the JWS protected header is malformed',
    ],
    [
      'a protected header that is not JSON',
      { protected: base64url.encode('{alg'), signature: 'AA' },
      'the JWS protected header is malformed',
    ],
    [
      'a protected header that is not UTF-8',
      { protected: base64url.encode(new Uint8Array([0x7b, 0xff, 0x7d])), signature: 'AA' },
      'the JWS protected header is malformed',
    ],
    [
      'a protected header that is a JSON array',
      { protected: header(['ES256']), signature: 'AA' },
      'the JWS protected header is malformed',
    ],
    [
      'a protected header that is JSON null',
      { protected: header(null), signature: 'AA' },
      'the JWS protected header is malformed',
    ],
    [
      'an unprotected header that is not an object',
      { protected: ES256, header: 'x', signature: 'AA' },
      'the JWS unprotected header is malformed',
    ],
    [
      'a header parameter in both headers',
      { protected: ES256, header: { kid: 'k9' }, signature: 'AA' },
      'the JWS repeats the header parameter kid',
    ],
    ['no signature', { protected: ES256, payload: 'cA' }, 'the JWS signature is malformed'],
    [
      'a signature that is not base64url',
      { protected: ES256, signature: 'a+b/' },
      'the JWS signature is malformed',
    ],
    [
      'a compact signature that is not base64url',
      `${ES256}.cA.a+b`,
      'the JWS signature is malformed',
    ],
    [
      'signatures that are not an array',
      { payload: 'cA', signatures: { protected: ES256, signature: 'AA' } },
      'a general JWS has 1 to 100 signatures',
    ],
    ['zero signatures', { payload: 'cA', signatures: [] }, 'a general JWS has 1 to 100 signatures'],
    [
      '101 signatures',
      { payload: 'cA', signatures: Array(101).fill({ protected: ES256, signature: 'AA' }) },
      'a general JWS has 1 to 100 signatures',
    ],
    [
      'a general JWS with a top-level signature',
      { signatures: [{ protected: ES256, signature: 'AA' }], signature: 'AA' },
      'a general JWS mixes in flattened members',
    ],
    [
      'a general JWS with a top-level protected header',
      { signatures: [{ protected: ES256, signature: 'AA' }], protected: ES256 },
      'a general JWS mixes in flattened members',
    ],
    [
      'a signature entry that is not an object',
      { signatures: [{ protected: ES256, signature: 'AA' }, 'AA'] },
      'a JWS signature is malformed',
    ],
    [
      'a bad protected header in a later signature',
      { signatures: [{ protected: ES256, signature: 'AA' }, { signature: 'AA' }] },
      'the JWS signature has no header',
    ],
  ])('refuses %s', (_what, input, message) => {
    expect(malformed(parseJws, input)).toBe(message);
  });

  it('accepts 100 signatures', () => {
    const signatures = Array(100).fill({ protected: ES256, signature: 'AA' });
    expect(parseJws({ payload: 'cA', signatures }).signatures).toHaveLength(100);
  });
});

describe('parseJwe', () => {
  it('reads a compact JWE', () => {
    const rsa = header({ alg: 'RSA-OAEP-256', enc: 'A128GCM', kid: 'k4' });
    expect(parseJwe(`${rsa}.ZWs.aXY.Y3Q.dGFn`)).toEqual({
      serialization: 'compact',
      protected: rsa,
      protectedHeader: { alg: 'RSA-OAEP-256', enc: 'A128GCM', kid: 'k4' },
      unprotected: undefined,
      iv: 'aXY',
      ciphertext: 'Y3Q',
      tag: 'dGFn',
      aad: undefined,
      recipients: [
        {
          header: undefined,
          encryptedKey: 'ZWs',
          joseHeader: { alg: 'RSA-OAEP-256', enc: 'A128GCM', kid: 'k4' },
        },
      ],
    });
  });

  it('reads a compact dir JWE with its empty encrypted key', () => {
    expect(parseJwe(`${DIR}..aXY.Y3Q.dGFn`).recipients[0]?.encryptedKey).toBe('');
  });

  it('reads a flattened JWE, joining its three headers for the recipient', () => {
    const shared = header({ enc: 'A256GCM' });
    expect(
      parseJwe({
        protected: shared,
        unprotected: { cty: 'text' },
        header: { alg: 'A128KW', kid: 'k5' },
        encrypted_key: 'ZWs',
        iv: 'aXY',
        ciphertext: 'Y3Q',
        tag: 'dGFn',
        aad: 'YWFk',
      }),
    ).toEqual({
      serialization: 'flattened',
      protected: shared,
      protectedHeader: { enc: 'A256GCM' },
      unprotected: { cty: 'text' },
      iv: 'aXY',
      ciphertext: 'Y3Q',
      tag: 'dGFn',
      aad: 'YWFk',
      recipients: [
        {
          header: { alg: 'A128KW', kid: 'k5' },
          encryptedKey: 'ZWs',
          joseHeader: { enc: 'A256GCM', cty: 'text', alg: 'A128KW', kid: 'k5' },
        },
      ],
    });
  });

  it('reads a flattened JWE without protected header or encrypted key', () => {
    const jwe = parseJwe({
      unprotected: { alg: 'dir', enc: 'A128GCM' },
      iv: 'aXY',
      ciphertext: 'Y3Q',
      tag: 'dGFn',
    });
    expect(jwe.protected).toBeUndefined();
    expect(jwe.protectedHeader).toBeUndefined();
    expect(jwe.recipients).toEqual([
      { header: undefined, encryptedKey: undefined, joseHeader: { alg: 'dir', enc: 'A128GCM' } },
    ]);
  });

  it('reads a general JWE, one joined header per recipient', () => {
    const shared = header({ enc: 'A256GCM' });
    const jwe = parseJwe({
      protected: shared,
      recipients: [
        { header: { alg: 'A128KW', kid: 'a' }, encrypted_key: 'QQ' },
        { header: { alg: 'RSA-OAEP', kid: 'b' }, encrypted_key: 'Qg' },
        {},
      ],
      iv: 'aXY',
      ciphertext: 'Y3Q',
      tag: 'dGFn',
    });
    expect(jwe.serialization).toBe('general');
    expect(jwe.recipients).toEqual([
      {
        header: { alg: 'A128KW', kid: 'a' },
        encryptedKey: 'QQ',
        joseHeader: { enc: 'A256GCM', alg: 'A128KW', kid: 'a' },
      },
      {
        header: { alg: 'RSA-OAEP', kid: 'b' },
        encryptedKey: 'Qg',
        joseHeader: { enc: 'A256GCM', alg: 'RSA-OAEP', kid: 'b' },
      },
      { header: undefined, encryptedKey: undefined, joseHeader: { enc: 'A256GCM' } },
    ]);
  });

  const body = { protected: DIR, iv: 'aXY', ciphertext: 'Y3Q', tag: 'dGFn' };

  it.each([
    ['four parts', `${DIR}..aXY.Y3Q`, 'a compact JWE has five parts'],
    ['six parts', `${DIR}..aXY.Y3Q.dGFn.x`, 'a compact JWE has five parts'],
    [
      'a compact protected header that is not JSON',
      'e30x..aXY.Y3Q.dGFn',
      'the JWE protected header is malformed',
    ],
    [
      'a compact protected header that is empty',
      '..aXY.Y3Q.dGFn',
      'the JWE protected header is malformed',
    ],
    [
      'a compact encrypted key with +',
      `${DIR}.a+b.aXY.Y3Q.dGFn`,
      'the JWE encrypted key is malformed',
    ],
    ['a compact iv with =', `${DIR}..aXY=.Y3Q.dGFn`, 'the JWE iv is malformed'],
    ['a compact ciphertext with /', `${DIR}..aXY.Y3/Q.dGFn`, 'the JWE ciphertext is malformed'],
    ['a compact tag with a space', `${DIR}..aXY.Y3Q.dG Fn`, 'the JWE tag is malformed'],
    ['a number', 7, 'a JWE is a compact string or a JSON object'],
    ['an array', [DIR], 'a JWE is a compact string or a JSON object'],
    [
      'a protected header that is a JSON string',
      { ...body, protected: header('dir') },
      'the JWE protected header is malformed',
    ],
    [
      'a shared unprotected header that is an array',
      { ...body, unprotected: [] },
      'the JWE unprotected header is malformed',
    ],
    [
      'a recipient header that is a string',
      { ...body, header: 'x' },
      'the JWE unprotected header is malformed',
    ],
    ['no iv', { ...body, iv: undefined }, 'the JWE iv is malformed'],
    ['an iv that is a number', { ...body, iv: 1 }, 'the JWE iv is malformed'],
    ['no ciphertext', { ...body, ciphertext: undefined }, 'the JWE ciphertext is malformed'],
    ['no tag', { ...body, tag: undefined }, 'the JWE tag is malformed'],
    ['an aad that is not base64url', { ...body, aad: 'a.b' }, 'the JWE aad is malformed'],
    [
      'an encrypted key that is not a string',
      { ...body, encrypted_key: 5 },
      'the JWE encrypted key is malformed',
    ],
    [
      'a parameter in the protected and shared headers',
      { ...body, unprotected: { enc: 'A128GCM' } },
      'the JWE repeats the header parameter enc',
    ],
    [
      'a parameter in the protected and recipient headers',
      { ...body, header: { kid: 'k9' } },
      'the JWE repeats the header parameter kid',
    ],
    [
      'recipients that are not an array',
      { ...body, recipients: {} },
      'a general JWE has 1 to 100 recipients',
    ],
    ['zero recipients', { ...body, recipients: [] }, 'a general JWE has 1 to 100 recipients'],
    [
      '101 recipients',
      { ...body, recipients: Array(101).fill({}) },
      'a general JWE has 1 to 100 recipients',
    ],
    [
      'a general JWE with a top-level header',
      { ...body, recipients: [{}], header: { typ: 'x' } },
      'a general JWE mixes in flattened members',
    ],
    [
      'a general JWE with a top-level encrypted key',
      { ...body, recipients: [{}], encrypted_key: 'QQ' },
      'a general JWE mixes in flattened members',
    ],
    [
      'a recipient that is not an object',
      { ...body, recipients: [{}, null] },
      'a JWE recipient is malformed',
    ],
    [
      'a recipient header that repeats a protected parameter',
      { ...body, recipients: [{ header: { alg: 'A128KW' } }] },
      'the JWE repeats the header parameter alg',
    ],
    [
      'a recipient header that is not an object',
      { ...body, recipients: [{ header: [] }] },
      'the JWE unprotected header is malformed',
    ],
    [
      'a recipient encrypted key that is not base64url',
      { ...body, recipients: [{ encrypted_key: 'Q=' }] },
      'the JWE encrypted key is malformed',
    ],
  ])('refuses %s', (_what, input, message) => {
    expect(malformed(parseJwe, input)).toBe(message);
  });
});

describe('stringMember', () => {
  const h = { kid: 'k1', empty: '', n: 5, list: ['a'] };

  it('is the value of a non-empty string member', () => {
    expect(stringMember(h, 'kid')).toBe('k1');
  });

  it.each(['empty', 'n', 'list', 'absent'])('is undefined for %s', (name) => {
    expect(stringMember(h, name)).toBeUndefined();
  });
});
