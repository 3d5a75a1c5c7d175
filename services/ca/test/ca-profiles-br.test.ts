// Issue 5 "Standards checks in tests": one row per shipped profile, each enrolling a CSR made by
// openssl that the profile accepts (approved by an admin where the profile asks for approval),
// and openssl judging the ISSUED certificate against the baseline-requirement rules: the serial
// (positive, at least 64 bits, below 2^159), the validity (the profile default, counted in whole
// days: notAfter − notBefore + 1 s), key usage and extended key usage with their criticality, the
// SAN (critical when the subject is empty), basic constraints, SKI and AKI (the issuing CA's SKI),
// AIA (OCSP and caIssuers), CRLDP (a partition URL), OCSP No Check, the signature algorithm of the
// P-384 issuing CA, the key sizes, and `openssl verify -x509_strict -purpose …` with the chain.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCa, type CaHarness } from './support/ca-harness.js';
import type { CertificateJson } from './support/ca-json.js';
import { writeChainFiles } from './support/chain-files.js';
import { expectProblem } from './support/expect-problem.js';
import { makeCsr, type CsrKey } from './support/make-csr.js';
import { openssl } from './support/openssl.js';
import { readX509, type X509Text } from './support/x509-text.js';

const DAY_S = 86_400;

/**
 * An issuing CA with pathLength 1, so that intermediate-ca (pathLength 0 below it) is allowed
 * (RFC 5280 §4.2.1.9); validities long enough that no certificate is capped at the issuer's end.
 */
const HIERARCHY = [
  {
    id: 'root',
    subject: 'CN=BR Test Root CA',
    key: { kty: 'EC', curve: 'P-384' },
    validityDays: 7300,
  },
  {
    id: 'issuing',
    parent: 'root',
    subject: 'CN=BR Test Issuing CA, O=Example',
    key: { kty: 'EC', curve: 'P-384' },
    validityDays: 3650,
    pathLength: 1,
    issuing: true,
  },
];

interface Row {
  readonly profile: string;
  readonly key: CsrKey;
  readonly subj: string;
  readonly addext?: readonly string[];
  readonly approval?: true;
  /** What openssl shows. */
  readonly subject: string;
  readonly publicKey: string;
  readonly days: number;
  readonly keyUsage: string;
  readonly eku?: { readonly value: string; readonly critical: boolean };
  readonly san?: { readonly value: string; readonly critical: boolean };
  readonly basicConstraints: string;
  readonly ocspNoCheck?: true;
  /** `openssl verify -purpose` (OpenSSL 3.0 has no code-signing purpose: `any`). */
  readonly purposes: readonly string[];
}

const EC256 = { kty: 'EC', curve: 'P-256' } as const;
const EC384 = { kty: 'EC', curve: 'P-384' } as const;
const LEAF = 'CA:FALSE';

const ROWS: readonly Row[] = [
  {
    profile: 'tls-server',
    key: { kty: 'RSA', bits: 2048 },
    subj: '/CN=www.example.test',
    addext: ['subjectAltName=DNS:www.example.test,DNS:example.test,IP:192.0.2.10'],
    subject: 'CN = www.example.test',
    publicKey: 'Public-Key: (2048 bit)',
    days: 90,
    keyUsage: 'Digital Signature, Key Encipherment',
    eku: { value: 'TLS Web Server Authentication', critical: false },
    san: {
      value: 'DNS:www.example.test, DNS:example.test, IP Address:192.0.2.10',
      critical: false,
    },
    basicConstraints: LEAF,
    purposes: ['sslserver'],
  },
  {
    profile: 'tls-client',
    key: EC384,
    subj: '/O=Example/CN=Alice Client',
    addext: ['subjectAltName=email:alice@example.test'],
    subject: 'O = Example, CN = Alice Client',
    publicKey: 'Public-Key: (384 bit)',
    days: 365,
    keyUsage: 'Digital Signature',
    eku: { value: 'TLS Web Client Authentication', critical: false },
    san: { value: 'email:alice@example.test', critical: false },
    basicConstraints: LEAF,
    purposes: ['sslclient'],
  },
  {
    profile: 'mtls-client',
    key: EC256,
    subj: '/',
    addext: ['subjectAltName=URI:spiffe://example.test/ns/prod/sa/web'],
    subject: '',
    publicKey: 'Public-Key: (256 bit)',
    days: 30,
    keyUsage: 'Digital Signature',
    eku: { value: 'TLS Web Client Authentication', critical: false },
    // RFC 5280 §4.2.1.6: an empty subject makes the SAN critical.
    san: { value: 'URI:spiffe://example.test/ns/prod/sa/web', critical: true },
    basicConstraints: LEAF,
    purposes: ['sslclient'],
  },
  {
    profile: 'code-signing',
    key: { kty: 'RSA', bits: 3072 },
    subj: '/C=US/O=Example Corp/CN=Example Corp',
    subject: 'C = US, O = Example Corp, CN = Example Corp',
    publicKey: 'Public-Key: (3072 bit)',
    days: 365,
    keyUsage: 'Digital Signature',
    eku: { value: 'Code Signing', critical: false },
    basicConstraints: LEAF,
    purposes: ['any'],
  },
  {
    profile: 'smime-signing',
    key: EC256,
    subj: '/CN=Alice Example',
    addext: ['subjectAltName=email:alice@example.test'],
    subject: 'CN = Alice Example',
    publicKey: 'Public-Key: (256 bit)',
    days: 365,
    keyUsage: 'Digital Signature, Non Repudiation',
    eku: { value: 'E-mail Protection', critical: false },
    san: { value: 'email:alice@example.test', critical: false },
    basicConstraints: LEAF,
    purposes: ['smimesign'],
  },
  {
    // RSA: OpenSSL's smimeencrypt purpose asks for keyEncipherment (EC keys get keyAgreement).
    profile: 'smime-encryption',
    key: { kty: 'RSA', bits: 2048 },
    subj: '/CN=Alice Example',
    addext: ['subjectAltName=email:alice@example.test'],
    subject: 'CN = Alice Example',
    publicKey: 'Public-Key: (2048 bit)',
    days: 365,
    keyUsage: 'Key Encipherment',
    eku: { value: 'E-mail Protection', critical: false },
    san: { value: 'email:alice@example.test', critical: false },
    basicConstraints: LEAF,
    purposes: ['smimeencrypt'],
  },
  {
    profile: 'ocsp-responder',
    key: EC256,
    subj: '/O=Example/CN=Example OCSP Responder',
    approval: true,
    subject: 'O = Example, CN = Example OCSP Responder',
    publicKey: 'Public-Key: (256 bit)',
    days: 30,
    keyUsage: 'Digital Signature',
    eku: { value: 'OCSP Signing', critical: false },
    basicConstraints: LEAF,
    ocspNoCheck: true,
    purposes: ['ocsphelper'],
  },
  {
    profile: 'timestamp',
    key: { kty: 'RSA', bits: 3072 },
    subj: '/O=Example/CN=Example TSA',
    subject: 'O = Example, CN = Example TSA',
    publicKey: 'Public-Key: (3072 bit)',
    days: 1095,
    keyUsage: 'Digital Signature, Non Repudiation',
    // RFC 3161 §2.3: the only key purpose, critical.
    eku: { value: 'Time Stamping', critical: true },
    basicConstraints: LEAF,
    purposes: ['timestampsign'],
  },
  {
    profile: 'intermediate-ca',
    key: EC384,
    subj: '/C=US/O=Example/CN=Example Sub CA',
    approval: true,
    subject: 'C = US, O = Example, CN = Example Sub CA',
    publicKey: 'Public-Key: (384 bit)',
    days: 1825,
    keyUsage: 'Digital Signature, Certificate Sign, CRL Sign',
    basicConstraints: 'CA:TRUE, pathlen:0',
    purposes: ['any'],
  },
  {
    profile: 'device',
    key: { kty: 'ED25519' },
    subj: '/CN=device-0042/serialNumber=SN0042',
    addext: ['subjectAltName=DNS:device-0042.example.test,URI:urn:example:device:0042'],
    subject: 'CN = device-0042, serialNumber = SN0042',
    publicKey: 'ED25519 Public-Key:',
    days: 365,
    keyUsage: 'Digital Signature',
    eku: { value: 'TLS Web Client Authentication, TLS Web Server Authentication', critical: false },
    san: { value: 'DNS:device-0042.example.test, URI:urn:example:device:0042', critical: false },
    basicConstraints: LEAF,
    purposes: ['sslclient', 'sslserver'],
  },
];

let ca: CaHarness;
let issuingSki: string;
const serials: string[] = [];

beforeAll(async () => {
  ca = await startCa({ ca: { hierarchy: HIERARCHY } });
  await writeChainFiles(ca);
  const issuing = readX509(ca.dir, 'issuing.pem');
  issuingSki = issuing.extensions.get('X509v3 Subject Key Identifier')?.value ?? '';
  expect(issuingSki).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2})+$/);
  expect(issuing.publicKey).toBe('Public-Key: (384 bit)');
  expect(issuing.extensions.get('X509v3 Basic Constraints')).toEqual({
    critical: true,
    value: 'CA:TRUE, pathlen:1',
  });
});
afterAll(() => ca.close());

async function enrollRow(row: Row): Promise<CertificateJson> {
  const made = makeCsr(ca.dir, row.profile, {
    key: row.key,
    subject: row.subj,
    ...(row.addext === undefined ? {} : { extensions: row.addext }),
  });
  const res = await ca.call('POST', '/enroll', { json: { csr: made.pem, profile: row.profile } });
  if (row.approval === undefined) {
    expect(res.status).toBe(201);
    return res.json<CertificateJson>();
  }
  expect(res.status).toBe(202);
  const pending = res.json<CertificateJson>();
  const approved = await ca.call('POST', `/certificates/${pending.id}/approve`, { as: 'admin' });
  expect(approved.status).toBe(200);
  return approved.json<CertificateJson>();
}

function expectedExtensions(row: Row, json: CertificateJson): Map<string, unknown> {
  const base = ca.baseUrl;
  const expected = new Map<string, unknown>([
    ['X509v3 Basic Constraints', { critical: true, value: row.basicConstraints }],
    ['X509v3 Key Usage', { critical: true, value: row.keyUsage }],
    [
      'X509v3 Subject Key Identifier',
      { critical: false, value: expect.stringMatching(/^[0-9A-F]{2}(:[0-9A-F]{2}){19}$/) },
    ],
    // AKI = the issuing CA's SKI (RFC 5280 §4.2.1.1).
    ['X509v3 Authority Key Identifier', { critical: false, value: issuingSki }],
    [
      'Authority Information Access',
      {
        critical: false,
        value: [
          `OCSP - URI:${base}/.well-known/pki-ca/ocsp`,
          `CA Issuers - URI:${base}/.well-known/pki-ca/certs/issuing.crt`,
        ].join('\n'),
      },
    ],
    [
      'X509v3 CRL Distribution Points',
      { critical: false, value: `Full Name:\nURI:${json.crlUrl ?? 'missing'}` },
    ],
  ]);
  if (row.eku !== undefined) expected.set('X509v3 Extended Key Usage', row.eku);
  if (row.san !== undefined) expected.set('X509v3 Subject Alternative Name', row.san);
  if (row.ocspNoCheck) expected.set('OCSP No Check', { critical: false, value: '' });
  return expected;
}

describe.each(ROWS)('profile $profile: the issued certificate meets its rules', (row) => {
  let json: CertificateJson;
  let cert: X509Text;
  const file = `${row.profile}.pem`;

  beforeAll(async () => {
    json = await enrollRow(row);
    expect(json).toMatchObject({ status: 'issued', profile: row.profile, issuer: 'issuing' });
    writeFileSync(join(ca.dir, file), json.certificatePem ?? '');
    cert = readX509(ca.dir, file);
  });

  it('serial: positive, at least 64 bits, below 2^159, within 20 octets, unique; as the API says', () => {
    expect(cert.serialHex).toMatch(/^[0-9A-F]+$/); // asn1parse shows a negative INTEGER with '-'
    const serial = BigInt(`0x${cert.serialHex}`);
    expect(serial >= 2n ** 63n).toBe(true);
    expect(serial < 2n ** 159n).toBe(true);
    expect(cert.serialOctets).toBeLessThanOrEqual(20);
    expect(cert.serialHex.toLowerCase()).toBe(json.serial);
    expect(serials).not.toContain(json.serial);
    serials.push(json.serial ?? '');
  });

  it(`validity: the profile default of ${row.days} days exactly, as the API says`, () => {
    const seconds = (cert.notAfter.getTime() - cert.notBefore.getTime()) / 1000 + 1;
    expect(seconds).toBe(row.days * DAY_S);
    expect(cert.notBefore.toISOString()).toBe(json.notBefore);
    expect(cert.notAfter.toISOString()).toBe(json.notAfter);
    expect(Math.abs(cert.notBefore.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('subject, issuer, key and signature algorithm (ecdsa-with-SHA384: the P-384 issuing CA)', () => {
    expect(cert.subject).toBe(row.subject);
    // RFC 4514 text lists RDNs last-first: 'CN=…, O=Example' encodes O first, as openssl prints it.
    expect(cert.issuer).toBe('O = Example, CN = BR Test Issuing CA');
    expect(cert.publicKey).toBe(row.publicKey);
    expect(cert.text.match(/Signature Algorithm: .*/g)).toEqual([
      'Signature Algorithm: ecdsa-with-SHA384',
      'Signature Algorithm: ecdsa-with-SHA384',
    ]);
    expect(cert.text).toContain('Version: 3 (0x2)');
  });

  it('extensions: exactly KU, EKU, SAN, basicConstraints, SKI, AKI, AIA, CRLDP (+ nocheck) with their criticality', () => {
    const expected = expectedExtensions(row, json);
    expect(Object.fromEntries(cert.extensions)).toEqual(Object.fromEntries(expected));
    expect(json.crlUrl).toMatch(
      new RegExp(`^${ca.baseUrl}/\\.well-known/pki-ca/crl/issuing/(\\d|1[0-5])\\.crl$`),
    );
  });

  it.each(row.purposes)(
    'openssl verify -x509_strict -purpose %s: OK against the chain',
    (purpose) => {
      const verify = openssl(
        [
          'verify',
          '-x509_strict',
          '-purpose',
          purpose,
          '-CAfile',
          'root.pem',
          '-untrusted',
          'issuing.pem',
          file,
        ],
        ca.dir,
      );
      expect(verify.output).toBe(`${file}: OK\n`);
    },
  );
});

describe('key sizes the profiles ask for', () => {
  it.each([
    ['code-signing', 'profile code-signing: keys.rsa: RSA-2048 is outside 3072-4096 bits'],
    ['timestamp', 'profile timestamp: keys.rsa: RSA-2048 is outside 3072-4096 bits'],
  ])('%s refuses RSA-2048 (key-not-allowed)', async (profile, detail) => {
    const made = makeCsr(ca.dir, `${profile}-2048`, {
      key: { kty: 'RSA', bits: 2048 },
      subject: '/C=US/O=Example/CN=Example',
    });
    const res = await ca.call('POST', '/enroll', { json: { csr: made.pem, profile } });
    expectProblem(res, 400, 'key-not-allowed', detail);
  });

  it('S/MIME allows P-521; the P-384 issuing CA still signs with ecdsa-with-SHA384', async () => {
    const made = makeCsr(ca.dir, 'smime-521', {
      key: { kty: 'EC', curve: 'P-521' },
      subject: '/CN=Bob',
      extensions: ['subjectAltName=email:bob@example.test'],
    });
    const res = await ca.call('POST', '/enroll', {
      json: { csr: made.pem, profile: 'smime-signing' },
    });
    expect(res.status).toBe(201);
    writeFileSync(join(ca.dir, 'smime-521.pem'), res.json<CertificateJson>().certificatePem ?? '');
    const cert = readX509(ca.dir, 'smime-521.pem');
    expect(cert.publicKey).toBe('Public-Key: (521 bit)');
    expect(cert.signatureAlgorithm).toBe('ecdsa-with-SHA384');
  });
});
