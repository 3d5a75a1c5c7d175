// CA certificates judged by openssl: roots (P-384, RSA 3072, Ed25519), subordinates and their
// limits, the ceremony CSR, and certificateInfo against openssl's own reading.
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { isCaError, type CaErrorCode } from '../domain/ca-error.js';
import { exportPkcs8, generateCaKeys, importCaPrivateKey } from './ca-keys.js';
import {
  certificateInfo,
  createCaCertificate,
  createCaCsr,
  createRootCertificate,
  type CreateCaOptions,
} from './ca-certificates.js';
import { parseCsr } from './csr.js';
import { fromPem, toPem } from './pem.js';
import type { SigningCa } from './signing-ca.js';
import { openssl, opensslOk, outputText, printedExtensions } from './testing/openssl.js';

const DAY = 86_400_000;
const hex = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('hex');
const pem = (der: Uint8Array): string => toPem(der, 'CERTIFICATE');
const colons = (bytes: Uint8Array | undefined): string =>
  hex(bytes).toUpperCase().match(/../g)?.join(':') ?? '';

function text(der: Uint8Array): string {
  return opensslOk(['x509', '-in', 'c.pem', '-noout', '-text'], { 'c.pem': pem(der) }).stdout;
}

async function caError(run: () => unknown): Promise<{ code: CaErrorCode; message: string }> {
  try {
    await run();
  } catch (err) {
    if (!isCaError(err)) throw err;
    return { code: err.code, message: err.message };
  }
  throw new Error('no error was thrown');
}

async function ed25519Keys(): Promise<webcrypto.CryptoKeyPair> {
  const keys = await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
  if ('type' in keys) throw new TypeError('expected a key pair');
  return keys;
}

describe('createRootCertificate', () => {
  it('makes a P-384 root openssl verifies, with the CA extensions and criticality', async () => {
    const keys = await generateCaKeys({ kty: 'EC', curve: 'P-384' });
    const now = new Date('2026-01-02T03:04:05.678Z');
    const root = await createRootCertificate({
      subject: 'CN=Example Root CA, O=Example',
      keys,
      validityDays: 3650,
      serial: '0x01:02',
      now,
    });
    const printed = text(root);
    expect(printed).toContain('Version: 3 (0x2)');
    expect(printed).toMatch(/Serial Number: 258 \(0x102\)/);
    expect(printed).toContain('Signature Algorithm: ecdsa-with-SHA384');
    expect(printed).toContain('Issuer: O = Example, CN = Example Root CA');
    expect(printed).toContain('Subject: O = Example, CN = Example Root CA');
    expect(printed).toContain('Not Before: Jan  2 03:04:05 2026 GMT');
    expect(printed).toContain('Not After : Dec 31 03:04:05 2035 GMT');
    const info = certificateInfo(root);
    expect(printedExtensions(printed)).toEqual({
      'X509v3 Basic Constraints': { critical: true, value: 'CA:TRUE' },
      'X509v3 Key Usage': {
        critical: true,
        value: 'Digital Signature, Certificate Sign, CRL Sign',
      },
      'X509v3 Subject Key Identifier': { critical: false, value: colons(info.ski) },
      'X509v3 Authority Key Identifier': { critical: false, value: colons(info.ski) },
    });
    const verified = openssl(['verify', '-x509_strict', '-CAfile', 'root.pem', 'root.pem'], {
      'root.pem': pem(root),
    });
    expect(verified.stdout).toBe('root.pem: OK\n');
    expect(info).toMatchObject({
      subject: 'CN=Example Root CA,O=Example',
      issuer: 'CN=Example Root CA,O=Example',
      serial: '0102',
      notBefore: new Date('2026-01-02T03:04:05Z'),
      notAfter: new Date(Date.parse('2026-01-02T03:04:05Z') + 3650 * DAY),
      isCa: true,
    });
    expect(info.pathLength).toBeUndefined();
  });

  it('makes an RSA 3072 root with a path length', async () => {
    const keys = await generateCaKeys({ kty: 'RSA', bits: 3072 });
    const root = await createRootCertificate({
      subject: 'CN=RSA Root',
      keys,
      validityDays: 30,
      pathLength: 1,
    });
    const printed = text(root);
    expect(printed).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(printed).toContain('Public-Key: (3072 bit)');
    expect(printedExtensions(printed)['X509v3 Basic Constraints']).toEqual({
      critical: true,
      value: 'CA:TRUE, pathlen:1',
    });
    const verified = openssl(['verify', '-x509_strict', '-CAfile', 'r.pem', 'r.pem'], {
      'r.pem': pem(root),
    });
    expect(verified.stdout).toBe('r.pem: OK\n');
    expect(certificateInfo(root)).toMatchObject({ isCa: true, pathLength: 1 });
    expect(certificateInfo(root).serial).toMatch(/^[0-7][0-9a-f]{31}$/);
  });

  it('makes an Ed25519 root (RFC 8410)', async () => {
    const keys = await ed25519Keys();
    const root = await createRootCertificate({ subject: 'CN=Ed Root', keys, validityDays: 1 });
    expect(text(root)).toContain('Signature Algorithm: ED25519');
    expect(openssl(['verify', '-CAfile', 'r.pem', 'r.pem'], { 'r.pem': pem(root) }).stdout).toBe(
      'r.pem: OK\n',
    );
  });

  it.each<[string, string, number, CaErrorCode, string]>([
    ['an empty subject', '', 1, 'invalid-request', 'a CA subject must not be empty'],
    ['a malformed subject', 'CN', 1, 'invalid-request', 'distinguished name: expected type=value'],
    ['no validity', 'CN=x', 0, 'validity-not-allowed', 'validityDays must be positive'],
  ])('refuses %s', async (_, subject, validityDays, code, message) => {
    const keys = await generateCaKeys({ kty: 'EC', curve: 'P-256' });
    expect(await caError(() => createRootCertificate({ subject, keys, validityDays }))).toEqual({
      code,
      message,
    });
  });
});

describe('createCaCertificate', () => {
  let root: SigningCa;
  let rootKeys: webcrypto.CryptoKeyPair;
  const now = new Date();

  beforeAll(async () => {
    rootKeys = await generateCaKeys({ kty: 'EC', curve: 'P-384' });
    const certificate = await createRootCertificate({
      subject: 'CN=Parent Root, O=Example',
      keys: rootKeys,
      validityDays: 10,
      pathLength: 1,
      now,
    });
    root = { certificate, privateKey: rootKeys.privateKey };
  });

  const sub = async (o: Partial<CreateCaOptions> = {}): Promise<Uint8Array> => {
    const keys = await generateCaKeys({ kty: 'EC', curve: 'P-384' });
    return createCaCertificate({
      subject: 'CN=Issuing CA, O=Example',
      publicKey: keys.publicKey,
      issuer: root,
      validityDays: 5,
      now,
      ...o,
    });
  };

  it('signs a subordinate with AKI = issuer SKI, AIA and CRLDP, which openssl verifies', async () => {
    const issuing = await sub({
      pathLength: 0,
      ocspUrl: 'http://127.0.0.1:8051/.well-known/pki-ca/ocsp',
      caIssuersUrl: 'http://127.0.0.1:8051/.well-known/pki-ca/ca/root.cer',
      crlUrl: 'http://127.0.0.1:8051/.well-known/pki-ca/crl/root.crl',
    });
    const printed = text(issuing);
    expect(printed).toContain('Issuer: O = Example, CN = Parent Root');
    expect(printed).toContain('Subject: O = Example, CN = Issuing CA');
    expect(printedExtensions(printed)).toEqual({
      'X509v3 Basic Constraints': { critical: true, value: 'CA:TRUE, pathlen:0' },
      'X509v3 Key Usage': {
        critical: true,
        value: 'Digital Signature, Certificate Sign, CRL Sign',
      },
      'X509v3 Subject Key Identifier': {
        critical: false,
        value: colons(certificateInfo(issuing).ski),
      },
      'X509v3 Authority Key Identifier': {
        critical: false,
        value: colons(certificateInfo(root.certificate).ski),
      },
      'Authority Information Access': {
        critical: false,
        value:
          'OCSP - URI:http://127.0.0.1:8051/.well-known/pki-ca/ocsp\n' +
          'CA Issuers - URI:http://127.0.0.1:8051/.well-known/pki-ca/ca/root.cer',
      },
      'X509v3 CRL Distribution Points': {
        critical: false,
        value: 'Full Name:\nURI:http://127.0.0.1:8051/.well-known/pki-ca/crl/root.crl',
      },
    });
    const verified = openssl(['verify', '-x509_strict', '-CAfile', 'root.pem', 'sub.pem'], {
      'root.pem': pem(root.certificate),
      'sub.pem': pem(issuing),
    });
    expect(verified.stdout).toBe('sub.pem: OK\n');
    const info = certificateInfo(issuing);
    expect(info.subjectDer[0]).toBe(0x30);
    expect(Buffer.from(issuing).includes(Buffer.from(info.subjectDer))).toBe(true);
    expect(info.issuer).toBe('CN=Parent Root,O=Example');
  });

  it('ends no later than the issuer', async () => {
    const long = certificateInfo(await sub({ validityDays: 100 }));
    expect(long.notAfter).toEqual(certificateInfo(root.certificate).notAfter);
    const short = certificateInfo(await sub({ validityDays: 2 }));
    expect(short.notAfter.getTime() - short.notBefore.getTime()).toBe(2 * DAY);
  });

  it('takes a DER SubjectPublicKeyInfo from a ceremony CSR and signs it as a CA', async () => {
    const offline = await generateCaKeys({ kty: 'EC', curve: 'P-384' });
    const csr = await createCaCsr({ subject: 'CN=Offline Intermediate, O=Example', keys: offline });
    const checked = openssl(['req', '-in', 'r.pem', '-verify', '-noout', '-text'], {
      'r.pem': csr,
    });
    expect(checked.stderr).toContain('verify OK');
    expect(checked.stdout).toContain('Subject: O = Example, CN = Offline Intermediate');
    expect(printedExtensions(checked.stdout)).toEqual({
      'X509v3 Basic Constraints': { critical: true, value: 'CA:TRUE' },
      'X509v3 Key Usage': {
        critical: true,
        value: 'Digital Signature, Certificate Sign, CRL Sign',
      },
    });
    const summary = await parseCsr(csr);
    expect(summary.requestsCa).toBe(true);
    expect(summary.key).toEqual({ kty: 'EC', curve: 'P-384' });
    const intermediate = await sub({
      subject: 'CN=Offline Intermediate, O=Example',
      publicKey: summary.spki,
    });
    const key = await importCaPrivateKey(await exportPkcs8(offline.privateKey), intermediate);
    expect(key.algorithm).toEqual({ name: 'ECDSA', namedCurve: 'P-384' });
  });

  it.each<
    [
      string,
      () => Partial<CreateCaOptions> | Promise<Partial<CreateCaOptions>>,
      CaErrorCode,
      string,
    ]
  >([
    [
      'a path length not below the issuer’s (RFC 5280 §4.2.1.9)',
      () => ({ pathLength: 1 }),
      'profile-violation',
      'pathLength 1 is not allowed below an issuer with pathLength 1',
    ],
    [
      'an issuer that has expired',
      () => ({ now: new Date(now.getTime() + 11 * DAY) }),
      'ca-unavailable',
      'the issuing CA certificate has expired',
    ],
    [
      'an issuer with pathLength 0',
      async () => {
        const keys = await generateCaKeys({ kty: 'EC', curve: 'P-256' });
        const certificate = await createRootCertificate({
          subject: 'CN=Zero',
          keys,
          validityDays: 1,
          pathLength: 0,
        });
        return { issuer: { certificate, privateKey: keys.privateKey } };
      },
      'profile-violation',
      'pathLength (none) is not allowed below an issuer with pathLength 0',
    ],
  ])('refuses %s', async (_, options, code, message) => {
    const resolved = await options();
    expect(await caError(() => sub(resolved))).toEqual({ code, message });
  });

  it.each([
    ['CA:FALSE', 'basicConstraints=critical,CA:FALSE'],
    ['without keyCertSign', 'keyUsage=critical,digitalSignature'],
  ])('refuses an issuer %s (ca-unavailable)', async (_, ext) => {
    const made = opensslOk([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', 'k.pem', '-subj', '/CN=not a CA', '-days', '1', '-addext', ext, '-out', 'c.pem',
    ]); // prettier-ignore
    const certificate = fromPem(outputText(made, 'c.pem'), 'CERTIFICATE');
    const privateKey = await importCaPrivateKey(
      fromPem(outputText(made, 'k.pem'), 'PRIVATE KEY'),
      certificate,
    );
    expect(await caError(() => sub({ issuer: { certificate, privateKey } }))).toEqual({
      code: 'ca-unavailable',
      message: 'the issuer certificate is not a CA certificate',
    });
  });
});

describe('certificateInfo', () => {
  it('reads an openssl certificate as openssl does', () => {
    const subject = '/C=US/O=Ex, Inc.+OU=Eng/CN=café #1/CN=#lead;x<y>"q"\\\\z /serialNumber=7';
    const made = opensslOk([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-utf8',
      '-keyout', 'k.pem', '-subj', subject, '-days', '3', '-set_serial', '0xff01',
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:2', '-out', 'c.pem',
    ]); // prettier-ignore
    const files = { 'c.pem': outputText(made, 'c.pem'), 'k.pem': outputText(made, 'k.pem') };
    const info = certificateInfo(fromPem(files['c.pem'], 'CERTIFICATE'));
    const names = opensslOk(
      ['x509', '-in', 'c.pem', '-noout', '-subject', '-issuer', '-serial', '-nameopt', 'RFC2253,-esc_msb'],
      files,
    ).stdout.split('\n'); // prettier-ignore
    expect(`subject=${info.subject}`).toBe(names[0]);
    expect(`issuer=${info.issuer}`).toBe(names[1]);
    expect(info.subject).toBe(
      'serialNumber=7,CN=\\#lead\\;x\\<y\\>\\"q\\"\\\\z\\ ,CN=café #1,O=Ex\\, Inc.+OU=Eng,C=US',
    );
    expect(`serial=${info.serial.toUpperCase()}`).toBe(names[2]);
    expect(info.serial).toBe('ff01');
    expect(info.notAfter.getTime() - info.notBefore.getTime()).toBe(3 * DAY);
    expect(info).toMatchObject({ isCa: true, pathLength: 2 });
    const ski = printedExtensions(
      opensslOk(['x509', '-in', 'c.pem', '-noout', '-text'], files).stdout,
    );
    expect(colons(info.ski)).toBe(ski['X509v3 Subject Key Identifier']?.value);
    const spki = opensslOk(
      ['pkey', '-in', 'k.pem', '-pubout', '-outform', 'DER', '-out', 'p.der'],
      files,
    );
    expect(hex(info.spki)).toBe(hex(spki.files['p.der']));
  });

  it('reads a v1 certificate without extensions', () => {
    const keyed = opensslOk([
      'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', 'k.pem', '-subj', '/CN=v1', '-out', 'r.pem',
    ]); // prettier-ignore
    const made = opensslOk(
      ['x509', '-req', '-in', 'r.pem', '-signkey', 'k.pem', '-days', '1', '-out', 'c.pem'],
      { 'r.pem': outputText(keyed, 'r.pem'), 'k.pem': outputText(keyed, 'k.pem') },
    );
    const info = certificateInfo(fromPem(outputText(made, 'c.pem'), 'CERTIFICATE'));
    expect(info).toMatchObject({ subject: 'CN=v1', issuer: 'CN=v1', isCa: false });
    expect(info.ski).toBeUndefined();
    expect(info.pathLength).toBeUndefined();
  });

  it('refuses what is not a certificate (invalid-request)', async () => {
    expect(await caError(() => certificateInfo(Uint8Array.of(0x30, 0)))).toEqual({
      code: 'invalid-request',
      message: 'not a DER X.509 certificate',
    });
  });
});
