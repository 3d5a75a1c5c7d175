import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hasConsistentRsaParameters, isPairwiseConsistent } from './key-consistency.js';

const b64 = (n: bigint) =>
  Buffer.from(n.toString(16).padStart(2, '0'), 'hex').toString('base64url');

describe('hasConsistentRsaParameters', () => {
  // RFC 8017 §3.2 with toy numbers: p = 11, q = 3, n = 33, e = 3, d = 7.
  const toy = {
    n: b64(33n),
    d: b64(7n),
    p: b64(11n),
    q: b64(3n),
    dp: b64(7n),
    dq: b64(1n),
    qi: b64(4n),
  };

  it('accepts parameters that satisfy every relation', () => {
    expect(hasConsistentRsaParameters(toy)).toBe(true);
  });

  it.each([
    ['n', { n: b64(35n) }],
    ['d', { d: b64(9n) }],
    ['dp', { dp: b64(3n) }],
    ['dq', { dq: b64(0n) }],
    ['qi', { qi: b64(5n) }],
    ['a prime below 3', { p: b64(1n), n: b64(3n) }],
    ['an empty member', { q: '' }],
  ])('refuses a wrong %s', (_what, change) => {
    expect(hasConsistentRsaParameters({ ...toy, ...change })).toBe(false);
  });
});

describe('isPairwiseConsistent', () => {
  it('pairs a private key with its own public key only', () => {
    const a = generateKeyPairSync('ed25519');
    const b = generateKeyPairSync('ed25519');
    expect(isPairwiseConsistent(a.privateKey, a.publicKey)).toBe(true);
    expect(isPairwiseConsistent(a.privateKey, b.publicKey)).toBe(false);
  });

  it('is false, not an exception, when the keys cannot be used together', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ed = generateKeyPairSync('ed25519');
    expect(isPairwiseConsistent(ec.privateKey, ed.publicKey)).toBe(false);
  });
});
