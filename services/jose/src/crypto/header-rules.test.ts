// Which header members a caller may set: every reserved name refused with `invalid-header`,
// typ/cty strings only, private names passed through; and disjoint headers per signature.
import { describe, expect, it } from 'vitest';
import { isJoseError } from '../domain/jose-error.js';
import { callerHeader, disjoint } from './header-rules.js';

function invalidHeader(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(isJoseError(err, 'invalid-header')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('the header was accepted');
}

describe('callerHeader', () => {
  it('is an empty header when none is given', () => {
    expect(callerHeader(undefined, 'header')).toEqual({});
  });

  it('passes typ, cty and private names through unchanged', () => {
    const header = { typ: 'JWT', cty: 'json', 'urn:example:tag': 1, nested: { a: [1] } };
    expect(callerHeader(header, 'header')).toBe(header);
  });

  it.each([
    'alg',
    'kid',
    'enc',
    'zip',
    'crit',
    'b64',
    'jku',
    'jwk',
    'x5u',
    'x5c',
    'x5t',
    'x5t#S256',
    'epk',
    'apu',
    'apv',
    'iv',
    'tag',
    'p2s',
    'p2c',
  ])('refuses %s, naming where and what', (name) => {
    expect(invalidHeader(() => callerHeader({ typ: 'x', [name]: 'v' }, 'protectedHeader'))).toBe(
      `protectedHeader may not set ${name}: the service sets it`,
    );
  });

  it('refuses a reserved name whatever its value, undefined included', () => {
    expect(invalidHeader(() => callerHeader({ kid: undefined }, 'header'))).toBe(
      'header may not set kid: the service sets it',
    );
  });

  it.each([
    ['typ', 1],
    ['typ', null],
    ['cty', ['a']],
    ['cty', { v: 'a' }],
  ])('refuses a %s of %j', (name, value) => {
    expect(invalidHeader(() => callerHeader({ [name]: value }, 'header'))).toBe(
      `header ${name} must be a string`,
    );
  });
});

describe('disjoint', () => {
  it('accepts headers with distinct names, empty ones included', () => {
    expect(() => disjoint([{ alg: 'ES256' }, {}, { typ: 'x' }, { cty: 'y' }], 'x')).not.toThrow();
    expect(() => disjoint([], 'x')).not.toThrow();
  });

  it('refuses a name in two headers, naming where and the name', () => {
    expect(
      invalidHeader(() => disjoint([{ a: 1, typ: 'x' }, { b: 1 }, { typ: 'y' }], 'the signature')),
    ).toBe('the signature sets typ in more than one header');
  });
});
