import { describe, expect, it } from 'vitest';
import { describeShape, PRIVATE_MEMBERS, toPublicJwk } from './key-shape.js';

describe('toPublicJwk', () => {
  it('drops every secret member and keeps the rest', () => {
    const secret = Object.fromEntries(PRIVATE_MEMBERS.map((m) => [m, 'secret']));
    expect(toPublicJwk({ kty: 'RSA', n: 'n', e: 'AQAB', kid: 'k', ...secret })).toEqual({
      kty: 'RSA',
      n: 'n',
      e: 'AQAB',
      kid: 'k',
    });
  });
});

describe('describeShape', () => {
  it.each([
    [{ kty: 'oct', size: 192 }, 'a 192-bit oct key'],
    [{ kty: 'RSA', size: 2048 }, 'an RSA private key'],
    [{ kty: 'EC', crv: 'P-521' }, 'an EC P-521 private key'],
    [{ kty: 'OKP', crv: 'Ed25519' }, 'an OKP Ed25519 private key'],
  ] as const)('%j is %s', (shape, phrase) => {
    expect(describeShape(shape)).toBe(phrase);
  });
});
