// parseCsr against CSRs made by openssl (the summaries exactly) and against broken, weak and
// forbidden ones (the error code and message each gets).
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isCaError, type CaErrorCode } from '../domain/ca-error.js';
import type { CsrSummary } from '../domain/certificate-request.js';
import { signTbs } from './ca-keys.js';
import { parseCsr } from './csr.js';
import { basicConstraintsExtension, subjectAltNameExtension } from './extensions.js';
import { encodeName } from './distinguished-name.js';
import {
  der,
  derChildren,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  derSet,
  derSmallInteger,
  fromPem,
  toPem,
} from './pem.js';
import { openssl, opensslCsr, opensslOk } from './testing/openssl.js';

const P256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
const noSans = { dns: [], ip: [], email: [], uri: [] };

/** The DER SubjectPublicKeyInfo of an openssl private key, as openssl writes it. */
function spkiOf(keyPem: string): Uint8Array {
  const out = opensslOk(['pkey', '-in', 'k.pem', '-pubout', '-outform', 'DER', '-out', 'p.der'], {
    'k.pem': keyPem,
  });
  return out.files['p.der']!;
}

async function rejection(
  input: string | Uint8Array,
): Promise<{ code: CaErrorCode; message: string }> {
  try {
    await parseCsr(input);
  } catch (err) {
    if (!isCaError(err)) throw err;
    return { code: err.code, message: err.message };
  }
  throw new Error('the CSR was accepted');
}

describe('parseCsr on openssl CSRs', () => {
  it('reads the P-256 CSR with a DNS and an IP SAN exactly', async () => {
    const { csr, key } = opensslCsr(P256, '/CN=www.example.com', [
      '-addext', 'subjectAltName=DNS:www.example.com,IP:127.0.0.1',
    ]); // prettier-ignore
    expect(await parseCsr(csr)).toEqual<CsrSummary>({
      subject: [{ type: 'CN', value: 'www.example.com' }],
      key: { kty: 'EC', curve: 'P-256' },
      san: { dns: ['www.example.com'], ip: ['127.0.0.1'], email: [], uri: [] },
      requestsCa: false,
      requestedExtensions: ['2.5.29.17'],
      spki: spkiOf(key),
    });
  });

  it('reads every subject attribute, SAN kind and requested extension in order', async () => {
    const subject =
      '/C=US/ST=CA/L=San Francisco/street=1 Main St/O=Ex, Inc./OU=Eng/CN=café/' +
      'emailAddress=a@example.com/DC=example/serialNumber=42/2.5.4.65=nick';
    const { csr } = opensslCsr(P256, subject, [
      '-utf8',
      '-addext', 'subjectAltName=DNS:a.example,DNS:*.b.example,IP:2001:db8::1,email:a@example.com,URI:https://example.com/x,otherName:1.3.6.1.4.1.311.20.2.3;UTF8:u@x',
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:1',
      '-addext', 'keyUsage=critical,keyCertSign',
      '-addext', 'extendedKeyUsage=serverAuth',
    ]); // prettier-ignore
    const summary = await parseCsr(csr);
    expect(summary.subject).toEqual([
      { type: 'C', value: 'US' },
      { type: 'ST', value: 'CA' },
      { type: 'L', value: 'San Francisco' },
      { type: 'street', value: '1 Main St' },
      { type: 'O', value: 'Ex, Inc.' },
      { type: 'OU', value: 'Eng' },
      { type: 'CN', value: 'café' },
      { type: 'E', value: 'a@example.com' },
      { type: 'DC', value: 'example' },
      { type: 'serialNumber', value: '42' },
      { type: 'pseudonym', value: 'nick' },
    ]);
    // otherName is not issued by this CA, so it is not reported.
    expect(summary.san).toEqual({
      dns: ['a.example', '*.b.example'],
      ip: ['2001:DB8:0:0:0:0:0:1'],
      email: ['a@example.com'],
      uri: ['https://example.com/x'],
    });
    expect(summary.requestsCa).toBe(true);
    expect(summary.requestedExtensions).toEqual([
      '2.5.29.17',
      '2.5.29.19',
      '2.5.29.15',
      '2.5.29.37',
    ]);
  });

  it.each([
    [['-newkey', 'rsa:2048'], { kty: 'RSA', bits: 2048 }],
    [['-newkey', 'rsa:1024'], { kty: 'RSA', bits: 1024 }], // too weak: the profile rules refuse it
    [['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'], { kty: 'EC', curve: 'P-384' }],
    [['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'], { kty: 'EC', curve: 'P-521' }],
    [['-newkey', 'ed25519'], { kty: 'OKP', curve: 'Ed25519' }],
    [
      ['-newkey', 'rsa', '-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_pubexp:3'],
      { kty: 'RSA', bits: 2048 },
    ],
  ])('reads the key of %j', async (keyArgs, key) => {
    const { csr } = opensslCsr(keyArgs, '/CN=k');
    const summary = await parseCsr(csr);
    expect(summary.key).toEqual(key);
    expect(summary.san).toEqual(noSans);
    expect(summary.requestedExtensions).toEqual([]);
  });

  it('reads DER, PEM bytes and the NEW CERTIFICATE REQUEST label alike', async () => {
    const { csr } = opensslCsr(P256, '/CN=forms');
    const expected = await parseCsr(csr);
    const derBytes = fromPem(csr, 'CERTIFICATE REQUEST');
    expect(await parseCsr(derBytes)).toEqual(expected);
    expect(await parseCsr(new Uint8Array(Buffer.from(csr)))).toEqual(expected);
    expect(await parseCsr(toPem(derBytes, 'NEW CERTIFICATE REQUEST'))).toEqual(expected);
  });
});

describe('parseCsr refusals', () => {
  const { csr } = opensslCsr(P256, '/CN=victim');
  const good = fromPem(csr, 'CERTIFICATE REQUEST');

  it.each([
    [
      'garbage text',
      'hello',
      'the CSR is neither DER nor PEM: no PEM CERTIFICATE REQUEST block found',
    ],
    [
      'a PEM with bad base64',
      '-----BEGIN CERTIFICATE REQUEST-----\nMII*\n-----END CERTIFICATE REQUEST-----\n',
      'the CSR is neither DER nor PEM: the PEM CERTIFICATE REQUEST block holds invalid base64',
    ],
    [
      'a certificate PEM',
      toPem(good, 'CERTIFICATE'),
      'the CSR is neither DER nor PEM: no PEM CERTIFICATE REQUEST block found',
    ],
    [
      'garbage DER',
      Uint8Array.of(0x30, 0x03, 1, 2),
      'the CSR is not a well-formed PKCS#10 CertificationRequest',
    ],
    ['an empty SEQUENCE', Uint8Array.of(0x30, 0), 'the CSR is not a PKCS#10 CertificationRequest'],
    ['trailing data', Uint8Array.of(...good, 0), 'the CSR has data after its end'],
  ] as const)('%s is invalid-csr', async (_, input, message) => {
    expect(await rejection(input)).toEqual({ code: 'invalid-csr', message });
  });

  it('a flipped signature byte is invalid-csr', async () => {
    const flipped = Uint8Array.from(good);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 0x01;
    expect(await rejection(flipped)).toEqual({
      code: 'invalid-csr',
      message: 'the CSR signature does not verify (RFC 2986 §4.2)',
    });
  });

  it('a flipped subject byte is invalid-csr', async () => {
    const flipped = Uint8Array.from(good);
    const at = Buffer.from(flipped).indexOf('victim');
    flipped[at] = 0x56; // 'V'
    expect((await rejection(flipped)).message).toBe(
      'the CSR signature does not verify (RFC 2986 §4.2)',
    );
  });

  it('a SHA-1 signature is invalid-csr (FIPS: no SHA-1 signatures)', async () => {
    const sha1 = opensslCsr(P256, '/CN=old', ['-sha1']);
    expect(await rejection(sha1.csr)).toEqual({
      code: 'invalid-csr',
      message: 'the CSR is signed with SHA-1, which is not allowed',
    });
    const rsaSha1 = opensslCsr(['-newkey', 'rsa:2048'], '/CN=old', ['-sha1']);
    expect((await rejection(rsaSha1.csr)).message).toBe(
      'the CSR is signed with SHA-1, which is not allowed',
    );
  });

  it('an RSASSA-PSS signature is not supported', async () => {
    const pss = opensslCsr(['-newkey', 'rsa:2048'], '/CN=pss', ['-sigopt', 'rsa_padding_mode:pss']);
    expect(await rejection(pss.csr)).toEqual({
      code: 'invalid-csr',
      message: 'CSR signature algorithm 1.2.840.113549.1.1.10 is not supported',
    });
  });

  it('a DSA key is key-not-allowed', async () => {
    const params = opensslOk(['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-out', 'p.pem']); // prettier-ignore
    const made = opensslOk(
      ['req', '-new', '-newkey', 'dsa:p.pem', '-nodes', '-keyout', 'k.pem', '-subj', '/CN=dsa', '-out', 'r.pem'],
      { 'p.pem': params.files['p.pem']! },
    ); // prettier-ignore
    expect(await rejection(Buffer.from(made.files['r.pem']!).toString())).toEqual({
      code: 'key-not-allowed',
      message: 'key type dsa is not allowed',
    });
  });

  it.each([
    [
      ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1'],
      'EC curve secp256k1 is not allowed',
    ],
    [['-newkey', 'rsa-pss', '-pkeyopt', 'rsa_keygen_bits:2048'], 'key type rsa-pss is not allowed'],
    [['-newkey', 'ed448'], 'key type ed448 is not allowed'],
  ])('%j is key-not-allowed', async (keyArgs, message) => {
    const { csr: made } = opensslCsr(keyArgs, '/CN=k');
    expect(await rejection(made)).toEqual({ code: 'key-not-allowed', message });
  });
});

describe('parseCsr on hand-made CSRs', () => {
  const ecdsa256 = derSequence(derOid('1.2.840.10045.4.3.2'));
  const keysPromise = webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);

  interface Parts {
    version?: number;
    subject?: Uint8Array;
    spki?: Uint8Array;
    attributes?: Uint8Array | null;
    algorithm?: Uint8Array;
  }

  const extensionRequest = (...extensions: Uint8Array[]): Uint8Array =>
    derSequence(derOid('1.2.840.113549.1.9.14'), derSet(derSequence(...extensions)));

  async function craft(parts: Parts = {}): Promise<Uint8Array> {
    const keys = await keysPromise;
    const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.publicKey));
    const attributes = parts.attributes === undefined ? der(0xa0) : parts.attributes;
    const info = derSequence(
      derSmallInteger(parts.version ?? 0),
      parts.subject ?? encodeName([{ type: 'CN', value: 'made' }]),
      parts.spki ?? spki,
      ...(attributes === null ? [] : [attributes]),
    );
    const signed = await signTbs(info, keys.privateKey);
    const [, , signature] = derChildren(signed);
    return derSequence(info, parts.algorithm ?? ecdsa256, signature!);
  }

  it('accepts a CSR without attributes at all, and other attributes beside extensionRequest', async () => {
    expect((await parseCsr(await craft({ attributes: null }))).requestedExtensions).toEqual([]);
    const challenge = derSequence(
      derOid('1.2.840.113549.1.9.7'),
      derSet(der(0x0c, Buffer.from('pw'))),
    );
    const san = subjectAltNameExtension({ ...noSans, dns: ['x.example'] }, false);
    const summary = await parseCsr(
      await craft({ attributes: der(0xa0, challenge, extensionRequest(san)) }),
    );
    expect(summary.san.dns).toEqual(['x.example']);
    expect(summary.requestsCa).toBe(false);
  });

  it('reads CA:FALSE and an empty subject', async () => {
    const csr = await craft({
      subject: derSequence(),
      attributes: der(0xa0, extensionRequest(basicConstraintsExtension(false))),
    });
    const summary = await parseCsr(csr);
    expect(summary.subject).toEqual([]);
    expect(summary.requestsCa).toBe(false);
    expect(summary.requestedExtensions).toEqual(['2.5.29.19']);
  });

  it.each<[string, () => Parts, CaErrorCode, string]>([
    ['version 1', () => ({ version: 1 }), 'invalid-csr', 'the CSR version is not v1 (0)'],
    [
      'an extension requested twice',
      () => ({
        attributes: der(
          0xa0,
          extensionRequest(basicConstraintsExtension(true), basicConstraintsExtension(true)),
        ),
      }),
      'invalid-csr',
      'the CSR requests extension 2.5.29.19 twice',
    ],
    [
      'two extensionRequest attributes',
      () => ({ attributes: der(0xa0, extensionRequest(), extensionRequest()) }),
      'invalid-csr',
      'the CSR has more than one extensionRequest attribute',
    ],
    [
      'an RSA signature algorithm over an EC key',
      () => ({ algorithm: derSequence(derOid('1.2.840.113549.1.1.11'), derNull()) }),
      'invalid-csr',
      'the CSR signature algorithm does not match its key',
    ],
    [
      'an MD5 signature algorithm',
      () => ({ algorithm: derSequence(derOid('1.2.840.113549.1.1.4'), derNull()) }),
      'invalid-csr',
      'the CSR is signed with MD5, which is not allowed',
    ],
    [
      'a public key that is not one',
      () => ({
        spki: derSequence(
          derSequence(derOid('1.2.840.10045.2.1')),
          der(0x03, Uint8Array.of(0, 4, 1)),
        ),
      }),
      'invalid-csr',
      'the CSR public key cannot be read',
    ],
    [
      'a subject value that is not a string',
      () => ({
        subject: derSequence(
          derSet(derSequence(derOid('2.5.4.3'), derOctetString(Uint8Array.of(1)))),
        ),
      }),
      'name-not-allowed',
      'name attribute CN is not a string',
    ],
    [
      'a malformed extension',
      () => ({ attributes: der(0xa0, extensionRequest(derSequence(derNull()))) }),
      'invalid-csr',
      'the CSR is not a well-formed PKCS#10 CertificationRequest',
    ],
  ])('refuses %s', async (_, parts, code, message) => {
    expect(await rejection(await craft(parts()))).toEqual({ code, message });
  });

  it('refuses a signature BIT STRING with unused bits', async () => {
    const csr = await craft();
    const [info, algorithm, signature] = derChildren(csr);
    const bits = Uint8Array.from(signature!);
    bits[2] = 1; // the unused-bits octet (short length form)
    expect(await rejection(derSequence(info!, algorithm!, bits))).toEqual({
      code: 'invalid-csr',
      message: 'the CSR signature is malformed',
    });
  });

  it('is what openssl verifies', async () => {
    const csr = toPem(await craft(), 'CERTIFICATE REQUEST');
    expect(
      openssl(['req', '-in', 'r.pem', '-verify', '-noout'], { 'r.pem': csr }).stderr,
    ).toContain('verify OK');
  });
});
