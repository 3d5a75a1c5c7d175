// The offline-root ceremony judged by openssl: `ca init`'s root, keys and CSR, `ca sign-csr`'s
// intermediate (chain, extensions, AIA caIssuers at the CA product's URL, no CRLDP), every refusal with its
// code and message, and the hierarchy config that imports the result.
import { beforeAll, describe, expect, it } from 'vitest';
import { caConfigSchema } from './config.js';
import {
  ceremonyHierarchy,
  checkCaKeyStrength,
  createCeremony,
  signCaCsr,
  type CeremonyInitFiles,
  type SignCaCsrOptions,
} from './ceremony.js';
import { isCaError, type CaErrorCode } from './domain/ca-error.js';
import { exportPkcs8, generateCaKeys } from './crypto/ca-keys.js';
import { createRootCertificate } from './crypto/ca-certificates.js';
import { toPem } from './crypto/pem.js';
import { opensslCsr, opensslOk, printedExtensions } from './crypto/testing/openssl.js';

const DAY = 86_400_000;
const NOW = new Date('2026-03-01T10:00:00.000Z');

async function caError(run: () => unknown): Promise<{ code: CaErrorCode; message: string }> {
  try {
    await run();
  } catch (err) {
    if (!isCaError(err)) throw err;
    return { code: err.code, message: err.message };
  }
  throw new Error('no error was thrown');
}

const x509Text = (pem: string): string =>
  opensslOk(['x509', '-in', 'c.pem', '-noout', '-text'], { 'c.pem': pem }).stdout;

let init: CeremonyInitFiles;
beforeAll(async () => {
  init = await createCeremony({
    rootSubject: 'CN=Example Root CA, O=Example',
    intermediateSubject: 'CN=Example Issuing CA, O=Example',
    key: 'ec-p384',
    validityDays: 7300,
    now: NOW,
  });
});

const sign = (extra: Partial<SignCaCsrOptions> = {}) =>
  signCaCsr({
    caCertificatePem: init.rootCertificatePem,
    caKeyPem: init.rootKeyPem,
    csr: init.intermediateCsrPem,
    validityDays: 1825,
    pathLength: 0,
    now: NOW,
    ...extra,
  });

describe('createCeremony', () => {
  it('makes a self-signed P-384 root with the CA extensions, valid for validityDays', () => {
    const text = x509Text(init.rootCertificatePem);
    expect(text).toContain('Issuer: O = Example, CN = Example Root CA');
    expect(text).toContain('Subject: O = Example, CN = Example Root CA');
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA384');
    expect(text).toContain('ASN1 OID: secp384r1');
    expect(text).toContain('Not Before: Mar  1 10:00:00 2026 GMT');
    expect(text).toContain(`Not After : ${opensslDate(new Date(NOW.getTime() + 7300 * DAY))}`);
    const ext = printedExtensions(text);
    expect(ext['X509v3 Basic Constraints']).toEqual({ critical: true, value: 'CA:TRUE' });
    expect(ext['X509v3 Key Usage']).toEqual({
      critical: true,
      value: 'Digital Signature, Certificate Sign, CRL Sign',
    });
    const verify = opensslOk(['verify', '-CAfile', 'r.pem', 'r.pem'], {
      'r.pem': init.rootCertificatePem,
    });
    expect(verify.stdout).toBe('r.pem: OK\n');
  });

  it('writes PKCS#8 keys that belong to the root certificate and to the CSR', () => {
    expect(init.rootKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(init.intermediateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const pub = (args: string[], files: Record<string, string>) => opensslOk(args, files).stdout;
    const rootCertKey = pub(['x509', '-in', 'c.pem', '-noout', '-pubkey'], {
      'c.pem': init.rootCertificatePem,
    });
    const rootKey = pub(['pkey', '-in', 'k.pem', '-pubout'], { 'k.pem': init.rootKeyPem });
    expect(rootKey).toBe(rootCertKey);
    const csrKey = pub(['req', '-in', 'r.csr', '-noout', '-pubkey'], {
      'r.csr': init.intermediateCsrPem,
    });
    const intermediateKey = pub(['pkey', '-in', 'k.pem', '-pubout'], {
      'k.pem': init.intermediateKeyPem,
    });
    expect(intermediateKey).toBe(csrKey);
    expect(intermediateKey).not.toBe(rootKey);
  });

  it('makes a CSR whose signature verifies and that asks for CA:TRUE', () => {
    const run = opensslOk(['req', '-in', 'r.csr', '-noout', '-verify', '-text'], {
      'r.csr': init.intermediateCsrPem,
    });
    expect(run.stderr).toContain('verify OK');
    expect(run.stdout).toContain('Subject: O = Example, CN = Example Issuing CA');
    const ext = printedExtensions(run.stdout);
    expect(ext['X509v3 Basic Constraints']).toEqual({ critical: true, value: 'CA:TRUE' });
    expect(ext['X509v3 Key Usage']?.value).toBe('Digital Signature, Certificate Sign, CRL Sign');
  });

  it('makes P-256 and RSA 3072 keys on request', async () => {
    const p256 = await createCeremony({
      rootSubject: 'CN=R',
      intermediateSubject: 'CN=I',
      key: 'ec-p256',
      validityDays: 10,
    });
    expect(x509Text(p256.rootCertificatePem)).toContain('ASN1 OID: prime256v1');
    const rsa = await createCeremony({
      rootSubject: 'CN=R',
      intermediateSubject: 'CN=I',
      key: 'rsa-3072',
      validityDays: 10,
    });
    const text = x509Text(rsa.rootCertificatePem);
    expect(text).toContain('Public-Key: (3072 bit)');
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    const csr = opensslOk(['req', '-in', 'r.csr', '-noout', '-text'], {
      'r.csr': rsa.intermediateCsrPem,
    }).stdout;
    expect(csr).toContain('Public-Key: (3072 bit)');
  });

  it('refuses an unknown key type, a bad validity and an empty subject', async () => {
    const base = { rootSubject: 'CN=R', intermediateSubject: 'CN=I', validityDays: 10 };
    expect(await caError(() => createCeremony({ ...base, key: 'rsa-2048' as 'rsa-3072' }))).toEqual(
      {
        code: 'key-not-allowed',
        message: 'key rsa-2048 is not one of ec-p384, ec-p256, rsa-4096, rsa-3072',
      },
    );
    expect(
      await caError(() => createCeremony({ ...base, key: 'ec-p256', validityDays: 0 })),
    ).toEqual({
      code: 'invalid-request',
      message: 'validityDays must be a whole number from 1 to 36500',
    });
    expect(
      await caError(() => createCeremony({ ...base, key: 'ec-p256', rootSubject: '' })),
    ).toEqual({ code: 'invalid-request', message: 'a CA subject must not be empty' });
  });
});

function opensslDate(date: Date): string {
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const day = String(date.getUTCDate()).padStart(2, ' ');
  const time = date.toISOString().slice(11, 19);
  return `${month} ${day} ${time} ${date.getUTCFullYear()} GMT`;
}

describe('signCaCsr', () => {
  it('signs an intermediate openssl verifies under the root, with the root’s AIA caIssuers and no CRLDP', async () => {
    const signed = await sign({ baseUrl: 'http://ca.example:8051/' });
    const verify = opensslOk(['verify', '-CAfile', 'root.pem', 'int.pem'], {
      'root.pem': init.rootCertificatePem,
      'int.pem': signed.certificatePem,
    });
    expect(verify.stdout).toBe('int.pem: OK\n');
    const text = x509Text(signed.certificatePem);
    expect(text).toContain('Issuer: O = Example, CN = Example Root CA');
    expect(text).toContain('Subject: O = Example, CN = Example Issuing CA');
    const ext = printedExtensions(text);
    expect(ext['X509v3 Basic Constraints']).toEqual({
      critical: true,
      value: 'CA:TRUE, pathlen:0',
    });
    expect(ext['X509v3 Key Usage']).toEqual({
      critical: true,
      value: 'Digital Signature, Certificate Sign, CRL Sign',
    });
    const rootSki = printedExtensions(x509Text(init.rootCertificatePem))[
      'X509v3 Subject Key Identifier'
    ]?.value;
    expect(ext['X509v3 Authority Key Identifier']?.value).toBe(rootSki);
    expect(ext['X509v3 Subject Key Identifier']?.value).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    expect(ext['Authority Information Access']?.value).toBe(
      'CA Issuers - URI:http://ca.example:8051/.well-known/pki-ca/certs/root.crt',
    );
    // No CRLDP: the CA cannot sign CRLs for a root whose key stays offline.
    expect(ext['X509v3 CRL Distribution Points']).toBeUndefined();
    expect(signed.info).toMatchObject({
      subject: 'CN=Example Issuing CA,O=Example',
      issuer: 'CN=Example Root CA,O=Example',
      isCa: true,
      pathLength: 0,
      notBefore: NOW,
      notAfter: new Date(NOW.getTime() + 1825 * DAY),
    });
  });

  it('names another issuer id, another path length, and no URLs without a base URL', async () => {
    const named = await sign({ baseUrl: 'https://pki.example', issuerId: 'offline-root' });
    const urls = printedExtensions(x509Text(named.certificatePem));
    expect(urls['Authority Information Access']?.value).toBe(
      'CA Issuers - URI:https://pki.example/.well-known/pki-ca/certs/offline-root.crt',
    );
    const plain = await sign({ pathLength: 1 });
    const ext = printedExtensions(x509Text(plain.certificatePem));
    expect(ext['X509v3 Basic Constraints']?.value).toBe('CA:TRUE, pathlen:1');
    expect(Object.keys(ext).sort()).toEqual([
      'X509v3 Authority Key Identifier',
      'X509v3 Basic Constraints',
      'X509v3 Key Usage',
      'X509v3 Subject Key Identifier',
    ]);
  });

  it('ends the intermediate no later than the root', async () => {
    const signed = await sign({ validityDays: 36_500 });
    expect(signed.info.notAfter).toEqual(new Date(NOW.getTime() + 7300 * DAY));
  });

  it('signs an RSA 4096 CSR made by openssl with CA:TRUE, keeping its subject', async () => {
    const csr = opensslCsr(['-newkey', 'rsa:4096'], '/C=DE/O=Example, Inc./CN=Ops CA', [
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ]);
    const signed = await sign({ csr: csr.csr });
    expect(x509Text(signed.certificatePem)).toContain(
      'Subject: C = DE, O = "Example, Inc.", CN = Ops CA',
    );
  });

  it('refuses a CSR that does not ask for CA:TRUE', async () => {
    const leaf = opensslCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=leaf');
    expect(await caError(() => sign({ csr: leaf.csr }))).toEqual({
      code: 'profile-violation',
      message:
        'the CSR does not ask for a CA certificate (basicConstraints cA TRUE); it is not an intermediate CSR',
    });
  });

  it('refuses an RSA 2048 CA key', async () => {
    const weak = opensslCsr(['-newkey', 'rsa:2048'], '/CN=Weak CA', [
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ]);
    expect(await caError(() => sign({ csr: weak.csr }))).toEqual({
      code: 'key-not-allowed',
      message: 'the CSR key is RSA 2048: a CA key needs at least 3072 bits (NIST SP 800-131A)',
    });
    expect(() => checkCaKeyStrength({ kty: 'EC', curve: 'P-256' })).not.toThrow();
    expect(() => checkCaKeyStrength({ kty: 'RSA', bits: 3072 })).not.toThrow();
  });

  it('refuses a CSR whose signature does not verify', async () => {
    const der = Buffer.from(
      init.intermediateCsrPem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''),
      'base64',
    );
    der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0x01;
    expect(await caError(() => sign({ csr: new Uint8Array(der) }))).toMatchObject({
      code: 'invalid-csr',
    });
  });

  it('refuses a signing certificate that is not a CA, a key of another CA, and bad PEM', async () => {
    const leaf = opensslOk(
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'k.pem',
        '-subj',
        '/CN=leaf',
        '-addext',
        'basicConstraints=critical,CA:FALSE',
        '-out',
        'c.pem',
      ],
      {},
    );
    const leafPem = Buffer.from(leaf.files['c.pem'] ?? []).toString('utf8');
    expect(await caError(() => sign({ caCertificatePem: leafPem }))).toEqual({
      code: 'invalid-request',
      message: 'the CA certificate is not a CA certificate (cA FALSE)',
    });
    expect(await caError(() => sign({ caKeyPem: init.intermediateKeyPem }))).toEqual({
      code: 'invalid-request',
      message: 'the CA key is not the private key of the CA certificate',
    });
    expect(await caError(() => sign({ caCertificatePem: init.rootKeyPem }))).toEqual({
      code: 'invalid-request',
      message: 'the CA certificate: no PEM CERTIFICATE block found',
    });
    expect(await caError(() => sign({ caKeyPem: 'nothing' }))).toEqual({
      code: 'invalid-request',
      message: 'the CA key: no PEM PRIVATE KEY block found',
    });
    const encrypted = opensslOk(
      ['pkcs8', '-topk8', '-in', 'k.pem', '-passout', 'pass:secret', '-v2', 'aes-256-cbc'],
      { 'k.pem': init.rootKeyPem },
    ).stdout;
    expect(await caError(() => sign({ caKeyPem: encrypted }))).toEqual({
      code: 'invalid-request',
      message:
        'the CA key is an encrypted PKCS#8 key: decrypt it first (openssl pkcs8 -in … -out …)',
    });
  });

  it('refuses a path length its issuer does not allow (RFC 5280 §4.2.1.9)', async () => {
    const keys = await generateCaKeys({ kty: 'EC', curve: 'P-256' });
    const root = await createRootCertificate({
      subject: 'CN=Tight Root',
      keys,
      validityDays: 100,
      pathLength: 0,
    });
    const tight = {
      caCertificatePem: toPem(root, 'CERTIFICATE'),
      caKeyPem: toPem(await exportPkcs8(keys.privateKey), 'PRIVATE KEY'),
    };
    expect(await caError(() => sign(tight))).toEqual({
      code: 'profile-violation',
      message: 'pathLength 0 is not allowed below an issuer with pathLength 0',
    });
  });

  it('refuses bad numbers, base URLs and issuer ids, naming them', async () => {
    const cases: [Partial<SignCaCsrOptions>, string][] = [
      [{ validityDays: 1.5 }, 'validityDays must be a whole number from 1 to 36500'],
      [{ pathLength: -1 }, 'pathLength must be a whole number from 0 to 10'],
      [{ pathLength: 11 }, 'pathLength must be a whole number from 0 to 10'],
      [{ baseUrl: 'ca.example:8051' }, 'base URL ca.example:8051 must be http or https'],
      [{ baseUrl: 'not a url' }, 'base URL not a url is not a URL'],
      [{ baseUrl: 'ftp://ca.example' }, 'base URL ftp://ca.example must be http or https'],
      [{ issuerId: 'Root' }, 'issuer id Root: lowercase letters, digits and dashes'],
    ];
    for (const [options, message] of cases) {
      expect(await caError(() => sign(options))).toEqual({ code: 'invalid-request', message });
    }
  });
});

describe('ceremonyHierarchy', () => {
  it('is a ca.hierarchy the CA config accepts: an offline root and an issuing intermediate', () => {
    const hierarchy = ceremonyHierarchy({
      rootSubject: 'CN=Example Root CA',
      intermediateSubject: 'CN=Example Issuing CA',
      rootCertificateFile: '/etc/ca/root.pem',
      intermediateCertificateFile: '/etc/ca/intermediate.pem',
      intermediateKeyFile: '/etc/ca/intermediate-key.pem',
    });
    const parsed = caConfigSchema.parse({ ca: { hierarchy } }).ca.hierarchy;
    expect(parsed).toMatchObject([
      { id: 'root', import: { certificateFile: '/etc/ca/root.pem' }, issuing: false },
      {
        id: 'issuing',
        parent: 'root',
        issuing: true,
        import: {
          certificateFile: '/etc/ca/intermediate.pem',
          keyFile: '/etc/ca/intermediate-key.pem',
        },
      },
    ]);
    expect(parsed[0]?.import).not.toHaveProperty('keyFile');
    const named = ceremonyHierarchy({
      rootSubject: 'CN=R',
      intermediateSubject: 'CN=I',
      rootCertificateFile: 'r.pem',
      intermediateCertificateFile: 'i.pem',
      intermediateKeyFile: 'i-key.pem',
      rootId: 'offline',
      intermediateId: 'tls',
    });
    expect(named.map((d) => [d.id, d.parent])).toEqual([
      ['offline', undefined],
      ['tls', 'offline'],
    ]);
  });
});
