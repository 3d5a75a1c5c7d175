// Issuance judged by openssl: root (P-384) → issuing CA (P-384) → leaves from openssl CSRs
// (P-256, RSA-2048, Ed25519); `openssl verify` builds the chain and `openssl x509 -text` shows
// every extension with its criticality.
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { isCaError, type CaErrorCode } from '../domain/ca-error.js';
import type { IssuancePlan } from '../domain/certificate-request.js';
import { exportPkcs8, generateCaKeys, importCaPrivateKey } from './ca-keys.js';
import { certificateInfo, createCaCertificate, createRootCertificate } from './ca-certificates.js';
import { parseCsr } from './csr.js';
import { issueCertificate, type IssueCertificateInput } from './issue-certificate.js';
import { certificateFields, toPem } from './pem.js';
import { newSerial } from './serial.js';
import type { SigningCa } from './signing-ca.js';
import { openssl, opensslCsr, opensslOk, printedExtensions } from './testing/openssl.js';

const DAY = 86_400_000;
const BASE = 'http://127.0.0.1:8051/.well-known/pki-ca';
const URLS = {
  ocspUrl: `${BASE}/ocsp`,
  caIssuersUrl: `${BASE}/ca/issuing.cer`,
  crlUrl: `${BASE}/crl/issuing/0a.crl`,
};
const pem = (der: Uint8Array): string => toPem(der, 'CERTIFICATE');
const hex = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('hex');
const colons = (bytes: Uint8Array | undefined): string =>
  hex(bytes).toUpperCase().match(/../g)?.join(':') ?? '';

const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const noSans = { dns: [], ip: [], email: [], uri: [] };

function tlsServerPlan(overrides: Partial<IssuancePlan> = {}): IssuancePlan {
  return {
    profileId: 'tls-server',
    subject: [{ type: 'CN', value: 'www.example.com' }],
    san: { dns: ['www.example.com'], ip: ['127.0.0.1'], email: [], uri: [] },
    notBefore: now,
    notAfter: new Date(now.getTime() + 90 * DAY),
    keyUsage: ['digitalSignature'],
    keyUsageCritical: true,
    extendedKeyUsage: ['1.3.6.1.5.5.7.3.1'],
    extendedKeyUsageCritical: false,
    basicConstraints: { ca: false },
    ocspNoCheck: false,
    sanCritical: false,
    ...overrides,
  };
}

let root: SigningCa;
let issuing: SigningCa;
let chainFiles: Record<string, string>;

beforeAll(async () => {
  const rootKeys = await generateCaKeys({ kty: 'EC', curve: 'P-384' });
  const rootCert = await createRootCertificate({
    subject: 'CN=Example Root CA, O=Example',
    keys: rootKeys,
    validityDays: 3650,
  });
  root = { certificate: rootCert, privateKey: rootKeys.privateKey };
  const keys = await generateCaKeys({ kty: 'EC', curve: 'P-384' });
  const certificate = await createCaCertificate({
    subject: 'CN=Example Issuing CA, O=Example',
    publicKey: keys.publicKey,
    issuer: root,
    validityDays: 1825,
    pathLength: 0,
  });
  const privateKey = await importCaPrivateKey(await exportPkcs8(keys.privateKey), certificate);
  issuing = { certificate, privateKey };
  chainFiles = { 'root.pem': pem(rootCert), 'issuing.pem': pem(certificate) };
});

function verify(leaf: Uint8Array, extra: string[] = []): string {
  const args = [
    'verify',
    '-x509_strict',
    ...extra,
    '-CAfile',
    'root.pem',
    '-untrusted',
    'issuing.pem',
  ];
  return openssl([...args, 'leaf.pem'], { ...chainFiles, 'leaf.pem': pem(leaf) }).stdout;
}

function printed(leaf: Uint8Array): string {
  return opensslOk(['x509', '-in', 'leaf.pem', '-noout', '-text'], { 'leaf.pem': pem(leaf) })
    .stdout;
}

async function issue(
  input: Partial<IssueCertificateInput> & { spki: Uint8Array },
): Promise<Uint8Array> {
  return issueCertificate({
    plan: tlsServerPlan(),
    serial: newSerial(),
    issuer: issuing,
    ...URLS,
    ...input,
  });
}

describe('issueCertificate', () => {
  it('issues a P-256 TLS server leaf from an openssl CSR that openssl verifies', async () => {
    const { csr } = opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=www.example.com', [
      '-addext', 'subjectAltName=DNS:www.example.com,IP:127.0.0.1',
    ]); // prettier-ignore
    const summary = await parseCsr(csr);
    const serial = newSerial();
    const plan = tlsServerPlan({ subject: summary.subject, san: summary.san });
    const leaf = await issue({ plan, spki: summary.spki, serial });
    expect(verify(leaf)).toBe('leaf.pem: OK\n');
    expect(verify(leaf, ['-purpose', 'sslserver'])).toBe('leaf.pem: OK\n');

    const text = printed(leaf);
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA384');
    expect(text).toContain('Issuer: O = Example, CN = Example Issuing CA');
    expect(text).toContain('Subject: CN = www.example.com');
    expect(text).toContain('NIST CURVE: P-256');
    expect(printedExtensions(text)).toEqual({
      'X509v3 Basic Constraints': { critical: true, value: 'CA:FALSE' },
      'X509v3 Key Usage': { critical: true, value: 'Digital Signature' },
      'X509v3 Extended Key Usage': { critical: false, value: 'TLS Web Server Authentication' },
      'X509v3 Subject Alternative Name': {
        critical: false,
        value: 'DNS:www.example.com, IP Address:127.0.0.1',
      },
      'X509v3 Subject Key Identifier': {
        critical: false,
        value: colons(certificateInfo(leaf).ski),
      },
      'X509v3 Authority Key Identifier': {
        critical: false,
        value: colons(certificateInfo(issuing.certificate).ski),
      },
      'Authority Information Access': {
        critical: false,
        value: `OCSP - URI:${URLS.ocspUrl}\nCA Issuers - URI:${URLS.caIssuersUrl}`,
      },
      'X509v3 CRL Distribution Points': {
        critical: false,
        value: `Full Name:\nURI:${URLS.crlUrl}`,
      },
    });

    const info = certificateInfo(leaf);
    expect(info).toMatchObject({ serial, notBefore: now, notAfter: plan.notAfter, isCa: false });
    const fields = certificateFields(leaf);
    expect(hex(fields.issuer)).toBe(hex(certificateInfo(issuing.certificate).subjectDer));
    expect(hex(fields.spki)).toBe(hex(summary.spki));
    const serialLine = opensslOk(['x509', '-in', 'l.pem', '-noout', '-serial'], {
      'l.pem': pem(leaf),
    });
    expect(serialLine.stdout).toBe(`serial=${serial.toUpperCase()}\n`);
  });

  it.each([
    [['-newkey', 'rsa:2048'], 'Public-Key: (2048 bit)'],
    [['-newkey', 'ed25519'], 'Public Key Algorithm: ED25519'],
  ])('issues a leaf for a %j CSR', async (keyArgs, keyLine) => {
    const { csr } = opensslCsr(keyArgs, '/CN=www.example.com');
    const summary = await parseCsr(csr);
    const leaf = await issue({ spki: summary.spki });
    expect(verify(leaf, ['-purpose', 'sslserver'])).toBe('leaf.pem: OK\n');
    expect(printed(leaf)).toContain(keyLine);
  });

  it('issues a delegated OCSP responder certificate with id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1)', async () => {
    const { csr } = opensslCsr(
      ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      '/CN=OCSP',
    );
    const summary = await parseCsr(csr);
    const plan = tlsServerPlan({
      profileId: 'ocsp-responder',
      subject: summary.subject,
      san: noSans,
      extendedKeyUsage: ['1.3.6.1.5.5.7.3.9'],
      extendedKeyUsageCritical: true,
      ocspNoCheck: true,
    });
    const leaf = await issueCertificate({
      plan,
      spki: summary.spki,
      serial: newSerial(),
      issuer: issuing,
    });
    const extensions = printedExtensions(printed(leaf));
    expect(extensions['OCSP No Check']).toEqual({ critical: false, value: '' });
    expect(extensions['X509v3 Extended Key Usage']).toEqual({
      critical: true,
      value: 'OCSP Signing',
    });
    expect(extensions['X509v3 Subject Alternative Name']).toBeUndefined();
    expect(extensions['Authority Information Access']).toBeUndefined();
    expect(extensions['X509v3 CRL Distribution Points']).toBeUndefined();
    expect(verify(leaf, ['-purpose', 'ocsphelper'])).toBe('leaf.pem: OK\n');
  });

  it('issues with an empty subject and a critical SAN (RFC 5280 §4.1.2.6), every SAN kind', async () => {
    const { csr } = opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=x');
    const summary = await parseCsr(csr);
    const san = {
      dns: ['a.example'],
      ip: ['::1'],
      email: ['m@example.com'],
      uri: ['https://example.com/'],
    };
    const plan = tlsServerPlan({
      subject: [],
      san,
      sanCritical: true,
      keyUsage: [],
      extendedKeyUsage: [],
    });
    const leaf = await issue({ plan, spki: summary.spki });
    const text = printed(leaf);
    expect(text).toMatch(/Subject: *\n/);
    const extensions = printedExtensions(text);
    expect(extensions['X509v3 Subject Alternative Name']).toEqual({
      critical: true,
      value:
        'DNS:a.example, IP Address:0:0:0:0:0:0:0:1, email:m@example.com, URI:https://example.com/',
    });
    expect(extensions['X509v3 Key Usage']).toBeUndefined();
    expect(extensions['X509v3 Extended Key Usage']).toBeUndefined();
    expect(verify(leaf)).toBe('leaf.pem: OK\n');
  });

  it('issues a CA certificate from an intermediate-ca plan', async () => {
    const keys = await generateCaKeys({ kty: 'EC', curve: 'P-384' });
    const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.publicKey));
    const plan = tlsServerPlan({
      profileId: 'intermediate-ca',
      subject: [{ type: 'CN', value: 'Sub CA' }],
      san: noSans,
      keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'],
      extendedKeyUsage: [],
      basicConstraints: { ca: true, pathLength: 0 },
    });
    const sub = await issueCertificate({ plan, spki, serial: newSerial(), issuer: root });
    expect(printedExtensions(printed(sub))['X509v3 Basic Constraints']).toEqual({
      critical: true,
      value: 'CA:TRUE, pathlen:0',
    });
    expect(certificateInfo(sub)).toMatchObject({ isCa: true, pathLength: 0 });
  });

  it('ends no later than the issuer', async () => {
    const { csr } = opensslCsr(
      ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      '/CN=long',
    );
    const plan = tlsServerPlan({ notAfter: new Date(now.getTime() + 4000 * DAY) });
    const leaf = await issue({ plan, spki: (await parseCsr(csr)).spki });
    expect(certificateInfo(leaf).notAfter).toEqual(certificateInfo(issuing.certificate).notAfter);
  });

  it.each<[string, () => Partial<IssueCertificateInput>, CaErrorCode, string]>([
    [
      'an empty subject without SANs',
      () => ({ plan: tlsServerPlan({ subject: [], san: noSans }) }),
      'name-not-allowed',
      'a certificate without subject needs subject alternative names',
    ],
    [
      'a CA plan below an issuer with pathLength 0',
      () => ({ plan: tlsServerPlan({ basicConstraints: { ca: true } }) }),
      'profile-violation',
      'pathLength (none) is not allowed below an issuer with pathLength 0',
    ],
    [
      'a start after the issuer’s end',
      () => ({ plan: tlsServerPlan({ notBefore: new Date(now.getTime() + 2000 * DAY) }) }),
      'ca-unavailable',
      'the issuing CA certificate has expired',
    ],
    [
      'a SAN that is not an IP address',
      () => ({ plan: tlsServerPlan({ san: { ...noSans, ip: ['localhost'] } }) }),
      'name-not-allowed',
      'SAN IP address localhost is not an IP address',
    ],
    [
      'a leaf as issuer',
      () => ({ issuer: { certificate: leafAsIssuer!, privateKey: issuing.privateKey } }),
      'ca-unavailable',
      'the issuer certificate is not a CA certificate',
    ],
  ])('refuses %s', async (_, input, code, message) => {
    const { spki } = certificateInfo(issuing.certificate);
    let error: unknown;
    try {
      await issue({ spki, ...input() });
    } catch (err) {
      error = err;
    }
    expect(isCaError(error, code)).toBe(true);
    expect((error as Error).message).toBe(message);
  });
});

let leafAsIssuer: Uint8Array | undefined;
beforeAll(async () => {
  leafAsIssuer = await issue({ spki: certificateInfo(issuing.certificate).spki });
});
