// applyProfile over the ten shipped profiles: a representative request through each gives the
// exact plan (key usage, EKU OIDs, validity, basic constraints, …), and every rule refuses with
// its CaError code and a message naming the rule and the offending value.
import { describe, expect, it } from 'vitest';
import { applyProfile, type ApplyProfileRequest } from './apply-profile.js';
import { isCaError, type CaErrorCode } from './ca-error.js';
import type { CsrSummary, IssuancePlan, KeyInfo, NameAttribute } from './certificate-request.js';
import { loadProfiles, SHIPPED_PROFILES_DIR } from './load-profiles.js';
import type { Profile } from './profile.js';

const PROFILES = loadProfiles([SHIPPED_PROFILES_DIR]);
const NOW = new Date('2026-04-01T12:34:56.789Z');
const NOT_BEFORE = new Date('2026-04-01T12:34:56.000Z');
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const P256: KeyInfo = { kty: 'EC', curve: 'P-256' };

function profile(id: string): Profile {
  const found = PROFILES.get(id);
  if (found === undefined) throw new Error(`no profile ${id}`);
  return found;
}

const tlsServer = profile('tls-server');
const device = profile('device');
const smimeSigning = profile('smime-signing');
/** Shipped profiles changed for one rule, by a name the test tables show. */
const VARIANTS: ReadonlyMap<string, Profile> = new Map([
  ['tls-server without rsa', { ...tlsServer, keys: { ec: ['P-256'], ed25519: false } }],
  [
    'tls-server without ec',
    { ...tlsServer, keys: { rsa: { minBits: 2048, maxBits: 4096 }, ed25519: false } },
  ],
  ['tls-server without key usage', { ...tlsServer, keyUsage: { critical: true } }],
  [
    'tls-server under example.com',
    { ...tlsServer, san: { ...tlsServer.san, dnsSuffixes: ['example.com'] } },
  ],
  [
    'device with CN only',
    { ...device, subject: { allowed: ['CN'], required: [], commonNameInSan: false } },
  ],
  ['device under example.com', { ...device, san: { ...device.san, dnsSuffixes: ['example.com'] } }],
  [
    'smime-signing under example.com',
    { ...smimeSigning, san: { ...smimeSigning.san, dnsSuffixes: ['example.com'] } },
  ],
] satisfies [string, Profile][]);

/** A shipped profile or a variant, by name. */
function target(name: string): Profile {
  return VARIANTS.get(name) ?? profile(name);
}

interface CsrParts {
  readonly subject?: readonly NameAttribute[];
  readonly key?: KeyInfo;
  readonly dns?: readonly string[];
  readonly ip?: readonly string[];
  readonly email?: readonly string[];
  readonly uri?: readonly string[];
  readonly requestsCa?: boolean;
}

function csr(parts: CsrParts): CsrSummary {
  return {
    subject: parts.subject ?? [],
    key: parts.key ?? P256,
    san: {
      dns: parts.dns ?? [],
      ip: parts.ip ?? [],
      email: parts.email ?? [],
      uri: parts.uri ?? [],
    },
    requestsCa: parts.requestsCa ?? false,
    requestedExtensions: [],
    spki: new Uint8Array(),
  };
}

const cn = (value: string): NameAttribute => ({ type: 'CN', value });

/** The end of a validity of `days` days counted inclusively from NOT_BEFORE. */
function endAfter(days: number): Date {
  return new Date(NOT_BEFORE.getTime() + days * 86_400_000 - 1000);
}

function plan(id: string, fields: Partial<IssuancePlan> & Pick<IssuancePlan, 'notAfter'>) {
  return {
    profileId: id,
    subject: [],
    san: { dns: [], ip: [], email: [], uri: [] },
    notBefore: NOT_BEFORE,
    keyUsage: ['digitalSignature'],
    keyUsageCritical: true,
    extendedKeyUsage: [],
    extendedKeyUsageCritical: false,
    basicConstraints: { ca: false },
    ocspNoCheck: false,
    sanCritical: false,
    ...fields,
  } satisfies IssuancePlan;
}

describe('each shipped profile accepts a representative request', () => {
  const spiffe = 'spiffe://example.org/ns/prod/sa/web';
  const codeSigner = [cn('Example Corp'), { type: 'O', value: 'Example Corp' }];
  const cases: [string, CsrParts, Omit<ApplyProfileRequest, 'now'>, IssuancePlan][] = [
    [
      'tls-server',
      { subject: [cn('WWW.Example.com')], dns: ['www.example.com', 'Example.com'], ip: ['::1'] },
      {},
      plan('tls-server', {
        subject: [cn('www.example.com')],
        san: { dns: ['www.example.com', 'example.com'], ip: ['::1'], email: [], uri: [] },
        extendedKeyUsage: [SERVER_AUTH],
        notAfter: endAfter(90),
      }),
    ],
    [
      'tls-client',
      { subject: [cn('alice')], key: { kty: 'RSA', bits: 3072 }, email: ['alice@Example.COM'] },
      {},
      plan('tls-client', {
        subject: [cn('alice')],
        san: { dns: [], ip: [], email: ['alice@example.com'], uri: [] },
        extendedKeyUsage: [CLIENT_AUTH],
        notAfter: endAfter(365),
      }),
    ],
    [
      'mtls-client',
      { key: { kty: 'EC', curve: 'P-384' }, uri: [spiffe, spiffe] },
      {},
      plan('mtls-client', {
        san: { dns: [], ip: [], email: [], uri: [spiffe] },
        extendedKeyUsage: [CLIENT_AUTH],
        sanCritical: true,
        notAfter: endAfter(30),
      }),
    ],
    [
      'code-signing',
      { subject: [...codeSigner, { type: 'C', value: 'US' }], key: { kty: 'RSA', bits: 3072 } },
      { validityDays: 460 },
      plan('code-signing', {
        subject: [...codeSigner, { type: 'C', value: 'US' }],
        extendedKeyUsage: ['1.3.6.1.5.5.7.3.3'],
        notAfter: endAfter(460),
      }),
    ],
    [
      'smime-signing',
      {
        subject: [cn('Alice'), { type: 'E', value: 'alice@example.com' }],
        key: { kty: 'EC', curve: 'P-521' },
        email: ['alice@example.com'],
      },
      {},
      plan('smime-signing', {
        subject: [cn('Alice'), { type: 'E', value: 'alice@example.com' }],
        san: { dns: [], ip: [], email: ['alice@example.com'], uri: [] },
        keyUsage: ['digitalSignature', 'nonRepudiation'],
        extendedKeyUsage: ['1.3.6.1.5.5.7.3.4'],
        notAfter: endAfter(365),
      }),
    ],
    [
      'smime-encryption',
      { key: { kty: 'RSA', bits: 2048 }, email: ['bob@example.com'] },
      { validityDays: 825 },
      plan('smime-encryption', {
        san: { dns: [], ip: [], email: ['bob@example.com'], uri: [] },
        keyUsage: ['keyEncipherment'],
        extendedKeyUsage: ['1.3.6.1.5.5.7.3.4'],
        sanCritical: true,
        notAfter: endAfter(825),
      }),
    ],
    [
      'ocsp-responder',
      { subject: [cn('Issuing CA 1 OCSP')] },
      {},
      plan('ocsp-responder', {
        subject: [cn('Issuing CA 1 OCSP')],
        extendedKeyUsage: ['1.3.6.1.5.5.7.3.9'],
        ocspNoCheck: true,
        notAfter: endAfter(30),
      }),
    ],
    [
      'timestamp',
      { subject: [cn('Example TSA')], key: { kty: 'RSA', bits: 4096 } },
      {},
      plan('timestamp', {
        subject: [cn('Example TSA')],
        keyUsage: ['digitalSignature', 'nonRepudiation'],
        extendedKeyUsage: ['1.3.6.1.5.5.7.3.8'],
        extendedKeyUsageCritical: true,
        notAfter: endAfter(1095),
      }),
    ],
    [
      'intermediate-ca',
      {
        subject: [{ type: 'C', value: 'US' }, { type: 'O', value: 'Example' }, cn('Issuing CA 2')],
        key: { kty: 'EC', curve: 'P-384' },
        requestsCa: true,
      },
      {},
      plan('intermediate-ca', {
        subject: [{ type: 'C', value: 'US' }, { type: 'O', value: 'Example' }, cn('Issuing CA 2')],
        keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'],
        basicConstraints: { ca: true, pathLength: 0 },
        notAfter: endAfter(1825),
      }),
    ],
    [
      'device',
      {
        subject: [cn('sensor-42'), { type: 'serialNumber', value: 'SN-0042' }],
        key: { kty: 'OKP', curve: 'Ed25519' },
        uri: ['urn:dev:ops:32473-Sensor-42'],
      },
      {},
      plan('device', {
        subject: [cn('sensor-42'), { type: 'serialNumber', value: 'SN-0042' }],
        san: { dns: [], ip: [], email: [], uri: ['urn:dev:ops:32473-Sensor-42'] },
        extendedKeyUsage: [CLIENT_AUTH, SERVER_AUTH],
        notAfter: endAfter(365),
      }),
    ],
  ];

  it('covers every shipped profile', () => {
    expect(cases.map(([id]) => id).sort()).toEqual([...PROFILES.keys()].sort());
  });

  it.each(cases)('%s', (id, parts, request, expected) => {
    expect(applyProfile(profile(id), csr(parts), { ...request, now: NOW })).toEqual(expected);
  });
});

describe('key usage per key type', () => {
  const server = { subject: [cn('x.example.com')], dns: ['x.example.com'] };
  const mailbox = { email: ['a@example.com'] };
  const sensor = { subject: [cn('sensor-1')] };
  it.each([
    ['tls-server', server, { kty: 'RSA', bits: 2048 }, ['digitalSignature', 'keyEncipherment']],
    ['tls-server', server, { kty: 'EC', curve: 'P-384' }, ['digitalSignature']],
    ['smime-encryption', mailbox, { kty: 'EC', curve: 'P-256' }, ['keyAgreement']],
    ['device', sensor, { kty: 'RSA', bits: 4096 }, ['digitalSignature', 'keyEncipherment']],
    ['device', sensor, { kty: 'EC', curve: 'P-256' }, ['digitalSignature']],
  ] as const)('%s with %o', (id, parts, key, usages) => {
    const result = applyProfile(profile(id), csr({ ...parts, key }), { now: NOW });
    expect(result.keyUsage).toEqual(usages);
  });

  it('issues CA:TRUE through a CA profile whatever the CSR asks', () => {
    const subject = [cn('CA'), { type: 'O', value: 'Example' }, { type: 'C', value: 'DE' }];
    const result = applyProfile(profile('intermediate-ca'), csr({ subject }), { now: NOW });
    expect(result.basicConstraints).toEqual({ ca: true, pathLength: 0 });
  });

  it('omits pathLength for a CA profile without one', () => {
    const ca = profile('intermediate-ca');
    const unlimited: Profile = { ...ca, basicConstraints: { ca: true } };
    const subject = [cn('CA'), { type: 'O', value: 'Example' }, { type: 'C', value: 'DE' }];
    expect(applyProfile(unlimited, csr({ subject }), { now: NOW }).basicConstraints).toEqual({
      ca: true,
    });
  });
});

/** The CaError message of a refused request, asserting its code. */
function refusal(
  code: CaErrorCode,
  name: string,
  parts: CsrParts,
  request: Omit<ApplyProfileRequest, 'now'> = {},
): string {
  try {
    applyProfile(target(name), csr(parts), { ...request, now: NOW });
  } catch (err) {
    if (!isCaError(err)) throw err;
    expect(err.code).toBe(code);
    return err.message;
  }
  throw new Error('the request was accepted');
}

const web = { subject: [cn('www.example.com')], dns: ['www.example.com'] };

describe('key rules', () => {
  it.each([
    [
      'tls-server',
      { kty: 'EC', curve: 'P-521' },
      'keys.ec: curve P-521 is not allowed (allowed: P-256, P-384)',
    ],
    ['tls-server', { kty: 'RSA', bits: 1024 }, 'keys.rsa: RSA-1024 is under 2048 bits'],
    ['tls-server without rsa', { kty: 'RSA', bits: 1024 }, 'keys.rsa: RSA-1024 is under 2048 bits'],
    ['tls-server without rsa', { kty: 'RSA', bits: 2048 }, 'keys.rsa: RSA keys are not allowed'],
    ['tls-server without ec', P256, 'keys.ec: EC keys are not allowed'],
    ['tls-server', { kty: 'RSA', bits: 8192 }, 'keys.rsa: RSA-8192 is outside 2048-4096 bits'],
    ['code-signing', { kty: 'RSA', bits: 2048 }, 'keys.rsa: RSA-2048 is outside 3072-4096 bits'],
    ['tls-server', { kty: 'OKP', curve: 'Ed25519' }, 'keys.ed25519: Ed25519 keys are not allowed'],
    ['tls-server without key usage', P256, 'keyUsage.ec: no key usage for ec keys'],
  ] as const)('%s refuses %o', (name, key, message) => {
    expect(refusal('key-not-allowed', name, { ...web, key })).toBe(
      `profile ${target(name).id}: ${message}`,
    );
  });
});

describe('CA requests', () => {
  it('refuses CA:TRUE through a leaf profile', () => {
    expect(refusal('profile-violation', 'tls-server', { ...web, requestsCa: true })).toBe(
      'profile tls-server: kind: a leaf profile does not issue CA certificates',
    );
  });
});

describe('subject rules', () => {
  it.each([
    [
      'tls-server',
      { ...web, subject: [cn('www.example.com'), { type: 'OU', value: 'IT' }] },
      'subject.allowed: attribute OU is not allowed',
    ],
    [
      'tls-server',
      { ...web, subject: [{ type: 'O', value: ' ' }] },
      'subject: attribute O is empty',
    ],
    [
      'tls-server',
      { ...web, subject: [{ type: 'C', value: 'USA' }] },
      'subject: C "USA" is not a two-letter country code',
    ],
    [
      'code-signing',
      { subject: [cn('Example'), { type: 'C', value: 'US' }] },
      'subject.required: O is missing',
    ],
    ['device', { subject: [cn('a'), cn('b')] }, 'subject: CN appears more than once'],
    [
      'tls-server',
      { ...web, subject: [{ type: 'O', value: 'o'.repeat(65) }] },
      'subject: attribute O is longer than 64 characters (RFC 5280 Appendix A)',
    ],
    [
      'device',
      { subject: [cn('c'.repeat(65))] },
      'subject: attribute CN is longer than 64 characters (RFC 5280 Appendix A)',
    ],
    [
      'tls-server',
      { ...web, subject: [cn('other.example.com')] },
      'subject.commonNameInSan: CN "other.example.com" is not among the DNS or IP SANs',
    ],
    ['device with CN only', {}, 'san: an empty subject requires a SAN (RFC 5280 §4.2.1.6)'],
  ] as const)('%s refuses %j', (name, parts, message) => {
    expect(refusal('name-not-allowed', name, parts)).toBe(`profile ${target(name).id}: ${message}`);
  });

  it('matches an IP common name against the IP SANs in canonical form', () => {
    const parts = { subject: [cn('2001:DB8:0:0:0:0:0:1')], ip: ['2001:db8::1', '192.0.2.7'] };
    const result = applyProfile(profile('tls-server'), csr(parts), { now: NOW });
    expect(result.subject).toEqual([cn('2001:db8::1')]);
    expect(result.san.ip).toEqual(['2001:db8::1', '192.0.2.7']);
  });

  it('accepts an empty subject with a SAN and marks the SAN critical', () => {
    const result = applyProfile(profile('tls-server'), csr({ dns: ['a.example'] }), { now: NOW });
    expect(result.subject).toEqual([]);
    expect(result.sanCritical).toBe(true);
  });
});

describe('SAN rules', () => {
  it.each([
    [
      'tls-server',
      { email: ['a@example.com'] },
      'san.email: email names are not allowed (got "a@example.com")',
    ],
    ['tls-server', { subject: [cn('x')] }, 'san.minimum: 0 SANs given, at least 1 required'],
    [
      'tls-server',
      { dns: Array.from({ length: 101 }, (_, i) => `n${i}.example.com`) },
      'san: 101 SANs given, at most 100 are allowed',
    ],
    ['tls-server', { dns: ['a..example.com'] }, 'san.dns: "a..example.com" has an empty label'],
    ['tls-server', { dns: ['www.example.com.'] }, 'san.dns: "www.example.com." has an empty label'],
    [
      'tls-server',
      { dns: ['a_b.example.com'] },
      'san.dns: "a_b.example.com" has a label "a_b" that is not letters, digits, hyphens',
    ],
    [
      'tls-server',
      { dns: ['-a.example.com'] },
      'san.dns: "-a.example.com" has a label "-a" that is not letters, digits, hyphens',
    ],
    [
      'tls-server',
      { dns: ['exämple.com'] },
      'san.dns: "exämple.com" has a label "exämple" that is not letters, digits, hyphens',
    ],
    [
      'tls-server',
      { dns: [`${'a'.repeat(64)}.com`] },
      `san.dns: "${'a'.repeat(64)}.com" has a label longer than 63 characters`,
    ],
    [
      'tls-server',
      { dns: [`${'a.'.repeat(126)}com`] },
      `san.dns: "${'a.'.repeat(126)}com" is longer than 253 characters`,
    ],
    [
      'tls-server',
      { dns: ['192.0.2.1'] },
      'san.dns: "192.0.2.1" has an all-numeric top-level label',
    ],
    ['tls-server', { dns: [''] }, 'san.dns: "" is empty'],
    [
      'tls-server',
      { dns: ['*.com'] },
      'san.dns: "*.com" is a wildcard over a single label (e.g. *.tld)',
    ],
    [
      'tls-server',
      { dns: ['www.*.example.com'] },
      'san.dns: "www.*.example.com" has a wildcard that is not the whole leftmost label',
    ],
    [
      'tls-server',
      { dns: ['w*.example.com'] },
      'san.dns: "w*.example.com" has a wildcard that is not the whole leftmost label',
    ],
    [
      'tls-server',
      { dns: ['*.*.example.com'] },
      'san.dns: "*.*.example.com" has a wildcard that is not the whole leftmost label',
    ],
    [
      'tls-server',
      { dns: ['*.a_b.com'] },
      'san.dns: "*.a_b.com" has a label "a_b" that is not letters, digits, hyphens',
    ],
    [
      'mtls-client',
      { dns: ['*.example.com'] },
      'san.dns: "*.example.com" is a wildcard, which the profile does not allow',
    ],
    ['tls-server', { ip: ['256.1.1.1'] }, 'san.ip: "256.1.1.1" is not an IP'],
    ['tls-server', { ip: ['01.2.3.4'] }, 'san.ip: "01.2.3.4" is not an IP'],
    ['tls-server', { ip: ['fe80::1%eth0'] }, 'san.ip: "fe80::1%eth0" is not an IP'],
    ['tls-server', { ip: ['example.com'] }, 'san.ip: "example.com" is not an IP'],
    [
      'smime-signing',
      { email: ['a@b@example.com'] },
      `san.email: "a@b@example.com" does not have exactly one '@'`,
    ],
    ['smime-signing', { email: ['alice'] }, `san.email: "alice" does not have exactly one '@'`],
    [
      'smime-signing',
      { email: ['@example.com'] },
      'san.email: "@example.com" has a local part of 0 or over 64 characters',
    ],
    [
      'smime-signing',
      { email: [`${'a'.repeat(65)}@example.com`] },
      `san.email: "${'a'.repeat(65)}@example.com" has a local part of 0 or over 64 characters`,
    ],
    ['smime-signing', { email: ['alice@'] }, 'san.email: "alice@" has a domain that is empty'],
    [
      'smime-signing',
      { email: ['a@_.io'] },
      'san.email: "a@_.io" has a domain that has a label "_" that is not letters, digits, hyphens',
    ],
    [
      'smime-signing',
      { email: ['ali ce@example.com'] },
      'san.email: "ali ce@example.com" is not printable ASCII without spaces',
    ],
    [
      'mtls-client',
      { uri: ['not a uri'] },
      'san.uri: "not a uri" is not printable ASCII without spaces',
    ],
    [
      'mtls-client',
      { uri: ['/relative/path'] },
      'san.uri: "/relative/path" is not an absolute URI with a scheme',
    ],
    [
      'mtls-client',
      { uri: ['example.org/x'] },
      'san.uri: "example.org/x" is not an absolute URI with a scheme',
    ],
    [
      'mtls-client',
      { uri: ['http://'] },
      'san.uri: "http://" is not an absolute URI with a scheme',
    ],
    [
      'mtls-client',
      { uri: ['spiffe://exämple.org/a'] },
      'san.uri: "spiffe://exämple.org/a" is not printable ASCII without spaces',
    ],
    [
      'device under example.com',
      { subject: [cn('d')], dns: ['badexample.com'] },
      'san.dnsSuffixes: "badexample.com" is outside example.com',
    ],
    [
      'device under example.com',
      { subject: [cn('d')], dns: ['example.com.evil.org'] },
      'san.dnsSuffixes: "example.com.evil.org" is outside example.com',
    ],
    [
      'device under example.com',
      { subject: [cn('d')], uri: ['https://evil.org/d'] },
      'san.dnsSuffixes: "https://evil.org/d" is outside example.com',
    ],
    [
      'smime-signing under example.com',
      { email: ['a@example.org'] },
      'san.dnsSuffixes: "a@example.org" is outside example.com',
    ],
  ] as const)('%s refuses %j', (name, parts, message) => {
    expect(refusal('name-not-allowed', name, parts)).toBe(`profile ${target(name).id}: ${message}`);
  });

  it('accepts names within dnsSuffixes (equal, below, wildcards, e-mail and URI hosts)', () => {
    const parts = {
      subject: [cn('d')],
      dns: ['example.com', 'a.b.example.com'],
      uri: [
        'spiffe://example.com/d',
        'urn:uuid:0f8a6f2e-9b0c-4d5e-8f00-123456789abc',
        'https://[::1]/',
      ],
    };
    const limited = target('device under example.com');
    expect(applyProfile(limited, csr(parts), { now: NOW }).san).toEqual({
      dns: ['example.com', 'a.b.example.com'],
      ip: [],
      email: [],
      uri: parts.uri,
    });
    const wild = target('tls-server under example.com');
    const plan = applyProfile(wild, csr({ dns: ['*.Example.com'], ip: ['10.0.0.1'] }), {
      now: NOW,
    });
    expect(plan.san.dns).toEqual(['*.example.com']);
    const mailed = applyProfile(
      target('smime-signing under example.com'),
      csr({ email: ['Bob@Mail.Example.com'] }),
      { now: NOW },
    );
    expect(mailed.san.email).toEqual(['Bob@mail.example.com']);
  });

  it('lowercases and de-duplicates names in request order', () => {
    const parts = {
      dns: ['B.example.com', 'a.example.com', 'b.EXAMPLE.com', 'localhost'],
      ip: ['2001:DB8::1', '192.0.2.1', '2001:db8:0:0::1'],
    };
    expect(applyProfile(tlsServer, csr(parts), { now: NOW }).san).toEqual({
      dns: ['b.example.com', 'a.example.com', 'localhost'],
      ip: ['2001:db8::1', '192.0.2.1'],
      email: [],
      uri: [],
    });
  });
});

describe('validity', () => {
  const at = (request: Omit<ApplyProfileRequest, 'now'>) =>
    applyProfile(profile('tls-server'), csr(web), { ...request, now: NOW });

  it('spans exactly the requested days, both ends counted', () => {
    const result = at({ validityDays: 200 });
    expect(result.notBefore).toEqual(NOT_BEFORE);
    expect(result.notAfter).toEqual(new Date('2026-10-18T12:34:55.000Z'));
    expect(result.notAfter.getTime() - result.notBefore.getTime() + 1000).toBe(200 * 86_400_000);
    expect(at({ validityDays: 1 }).notAfter).toEqual(new Date('2026-04-02T12:34:55.000Z'));
  });

  it('caps the default and the maximum at the operator limit, never raising them', () => {
    expect(at({ maxValidityDays: 30 }).notAfter).toEqual(endAfter(30));
    expect(at({ maxValidityDays: 365 }).notAfter).toEqual(endAfter(90));
    expect(at({ maxValidityDays: 365, validityDays: 200 }).notAfter).toEqual(endAfter(200));
  });

  it.each([
    [{ validityDays: 201 }, 'validity.maxDays: 201 days exceeds the maximum of 200 days'],
    [
      { validityDays: 250, maxValidityDays: 365 },
      'validity.maxDays: 250 days exceeds the maximum of 200 days',
    ],
    [
      { validityDays: 150, maxValidityDays: 100 },
      'operator limit: 150 days exceeds the maximum of 100 days',
    ],
  ])('refuses %j', (request, message) => {
    expect(refusal('validity-not-allowed', 'tls-server', web, request)).toBe(
      `profile tls-server: ${message}`,
    );
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses validityDays %s as invalid', (validityDays) => {
    expect(refusal('invalid-request', 'tls-server', web, { validityDays })).toBe(
      `profile tls-server: validityDays: ${validityDays} is not a positive integer`,
    );
  });

  it('throws TypeError on programming errors', () => {
    const tls = profile('tls-server');
    expect(() => applyProfile(tls, csr(web), { now: NOW, maxValidityDays: 0 })).toThrow(TypeError);
    expect(() => applyProfile(tls, csr(web), { now: new Date(Number.NaN) })).toThrow(TypeError);
  });
});
