import { describe, expect, it } from 'vitest';
import { decodeProtectedHeader, isJsonObject } from './jose-header.js';

const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64url');

describe('decodeProtectedHeader', () => {
  it('decodes a base64url JSON object', () => {
    expect(decodeProtectedHeader(b64('{"alg":"ES256","kid":"k"}'))).toEqual({
      alg: 'ES256',
      kid: 'k',
    });
  });

  it.each([
    ['not a string', 42],
    ['empty', ''],
    ['not base64url', 'eyJ+'],
    ['of a length base64 cannot have', `${b64('{"abc":1}')}A`],
    ['not UTF-8', b64(Uint8Array.from([0x7b, 0xff, 0x7d]))],
    ['not JSON', b64('{alg')],
    ['an array', b64('[1]')],
    ['null', b64('null')],
    ['a string', b64('"x"')],
  ])('answers undefined for %s', (_name, encoded) => {
    expect(decodeProtectedHeader(encoded)).toBeUndefined();
  });
});

describe('isJsonObject', () => {
  it('accepts objects only', () => {
    expect([{}, [], null, 'x', 1].map(isJsonObject)).toEqual([true, false, false, false, false]);
  });
});
