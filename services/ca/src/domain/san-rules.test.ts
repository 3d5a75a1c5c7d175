// The SAN syntax rules on their own: LDH host names and wildcards, IP canonical forms, mailboxes,
// URIs and suffix matching (checkSans itself is exercised through apply-profile.test.ts).
import { describe, expect, it } from 'vitest';
import {
  canonicalIp,
  dnsNameProblem,
  emailProblem,
  hostNameProblem,
  isWithinSuffixes,
  uriProblem,
} from './san-rules.js';

describe('hostNameProblem', () => {
  it.each(['example.com', 'a.b-c.example', 'localhost', 'xn--bcher-kva.example', '1a.example'])(
    'accepts %s',
    (name) => {
      expect(hostNameProblem(name)).toBeUndefined();
    },
  );

  it.each([
    ['', 'is empty'],
    ['a..b', 'has an empty label'],
    ['.example.com', 'has an empty label'],
    ['a-.example', 'has a label "a-" that is not letters, digits, hyphens'],
    ['A.example', 'has a label "A" that is not letters, digits, hyphens'],
    [`${'a'.repeat(63)}.example`, undefined],
    [`${'a'.repeat(64)}.example`, 'has a label longer than 63 characters'],
    [`${'abcdefghi.'.repeat(25)}abc`, undefined], // 253 characters
    [`${'abcdefghi.'.repeat(25)}abcd`, 'is longer than 253 characters'],
    ['10.0.0.1', 'has an all-numeric top-level label'],
    ['123', 'has an all-numeric top-level label'],
  ])('%s: %s', (name, problem) => {
    expect(hostNameProblem(name)).toBe(problem);
  });
});

describe('dnsNameProblem', () => {
  it.each([
    ['*.example.com', true, undefined],
    ['*.example.com', false, 'is a wildcard, which the profile does not allow'],
    ['*.com', true, 'is a wildcard over a single label (e.g. *.tld)'],
    ['*', true, 'has a wildcard that is not the whole leftmost label'],
    ['a.*.example.com', true, 'has a wildcard that is not the whole leftmost label'],
    ['*a.example.com', true, 'has a wildcard that is not the whole leftmost label'],
    ['www.example.com', false, undefined],
  ])('%s (wildcards %s): %s', (name, wildcards, problem) => {
    expect(dnsNameProblem(name, wildcards)).toBe(problem);
  });
});

describe('canonicalIp', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['192.0.2.256', undefined],
    ['192.0.2', undefined],
    ['fe80::1%eth0', undefined],
    ['', undefined],
  ])('%s → %s', (text, canonical) => {
    expect(canonicalIp(text)).toBe(canonical);
  });
});

describe('emailProblem', () => {
  it.each([
    ['alice@example.com', undefined],
    ['first.last+tag@Mail.Example.COM', undefined],
    ['alice', "does not have exactly one '@'"],
    ['a@b@example.com', "does not have exactly one '@'"],
    ['@example.com', 'has a local part of 0 or over 64 characters'],
    [
      'alice@-bad.example',
      'has a domain that has a label "-bad" that is not letters, digits, hyphens',
    ],
    ['älice@example.com', 'is not printable ASCII without spaces'],
  ])('%s: %s', (address, problem) => {
    expect(emailProblem(address)).toBe(problem);
  });
});

describe('uriProblem', () => {
  it.each([
    ['spiffe://example.org/ns/default/sa/web', undefined],
    ['urn:uuid:0f8a6f2e-9b0c-4d5e-8f00-123456789abc', undefined],
    ['https://example.com:8443/a?b#c', undefined],
    ['//example.com/a', 'is not an absolute URI with a scheme'],
    ['1http://example.com', 'is not an absolute URI with a scheme'],
    ['https://exa mple.com', 'is not printable ASCII without spaces'],
    ['', 'is not printable ASCII without spaces'],
  ])('%s: %s', (uri, problem) => {
    expect(uriProblem(uri)).toBe(problem);
  });
});

describe('isWithinSuffixes', () => {
  it.each([
    ['example.com', true],
    ['a.b.example.com', true],
    ['badexample.com', false],
    ['example.com.evil', false],
    ['other.org', true],
    ['org', false],
  ])('%s: %s', (host, within) => {
    expect(isWithinSuffixes(host, ['example.com', 'other.org'])).toBe(within);
  });
});
