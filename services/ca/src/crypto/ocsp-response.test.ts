// OCSP responses with openssl 3.0 as the judge: a root, a P-384 issuing CA, a delegated P-256
// responder (id-kp-OCSPSigning, id-pkix-ocsp-nocheck) and two leaves are built with
// @peculiar/x509; `openssl ocsp -reqout` makes the requests, parseOcspRequest reads them, and
// `openssl ocsp -respin` checks the signed responses (signature, delegation, CertID, status,
// times, nonce). The bytes are also read back through the @peculiar/asn1-ocsp schemas.
import { spawnSync } from 'node:child_process';
import { createHash, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BasicOCSPResponse,
  id_pkix_ocsp_basic,
  OCSPResponse,
  OCSPResponseStatus,
} from '@peculiar/asn1-ocsp';
import { AsnConvert } from '@peculiar/asn1-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ocspIssuerIdsOf } from './ocsp-issuer.js';
import { parseOcspRequest, type OcspCertId } from './ocsp-request.js';
import {
  buildOcspResponse,
  createOcspSigner,
  ocspErrorResponse,
  type OcspCertStatus,
  type OcspErrorStatus,
} from './ocsp-response.js';
import type { SigningCa } from './signing-ca.js';

// @peculiar/x509 needs a Reflect metadata polyfill before it loads (tsyringe).
await import('reflect-metadata');
const x509 = await import('@peculiar/x509');
x509.cryptoProvider.set(globalThis.crypto);

type KeyPair = webcrypto.CryptoKeyPair;
type Certificate = InstanceType<typeof x509.X509Certificate>;

const DAY = 86_400_000;
/** Now in whole seconds: openssl refuses a thisUpdate in the future or a nextUpdate past. */
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const THIS_UPDATE = at(-3_600_000);
const NEXT_UPDATE = at(3_600_000);
const REVOKED_AT = at(-7_200_000);

/** A key pair (the Ed25519 overload of generateKey does not say it is one). */
async function generate(
  algorithm: webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams | webcrypto.Algorithm,
): Promise<KeyPair> {
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  if (!('privateKey' in keys)) throw new TypeError('generateKey gave a single key');
  return keys;
}

const ecKeys = (namedCurve: string) => generate({ name: 'ECDSA', namedCurve });

const SIGNING = {
  'P-256': { name: 'ECDSA', hash: 'SHA-256' },
  'P-384': { name: 'ECDSA', hash: 'SHA-384' },
} as const;

interface Issuer {
  readonly cert: Certificate;
  readonly keys: KeyPair;
  readonly curve: keyof typeof SIGNING;
}

async function issue(options: {
  subject: string;
  keys: KeyPair;
  issuer: Issuer;
  serial: string;
  extensions: InstanceType<typeof x509.Extension>[];
}): Promise<Certificate> {
  return x509.X509CertificateGenerator.create({
    serialNumber: options.serial,
    subject: options.subject,
    issuer: options.issuer.cert.subject,
    notBefore: at(-DAY),
    notAfter: at(DAY),
    publicKey: options.keys.publicKey,
    signingKey: options.issuer.keys.privateKey,
    signingAlgorithm: SIGNING[options.issuer.curve],
    extensions: [
      ...options.extensions,
      await x509.SubjectKeyIdentifierExtension.create(options.keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(options.issuer.keys.publicKey),
    ],
  });
}

const CA_USAGE = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;
/** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1), value NULL. */
const NOCHECK = new x509.Extension('1.3.6.1.5.5.7.48.1.5', false, Uint8Array.of(0x05, 0x00));

let dir: string;
let root: Issuer;
let issuing: Issuer;
let responder: SigningCa;
let responderKeys: KeyPair;
let leaf: Certificate;

function write(name: string, data: string | Uint8Array): void {
  writeFileSync(join(dir, name), data);
}

/** Runs openssl in the temporary directory; stdout and stderr together. */
function openssl(...args: string[]): { status: number | null; out: string } {
  const result = spawnSync('/usr/bin/openssl', args, { cwd: dir, encoding: 'utf8' });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

/** A request made by openssl for the given certificates; `extra` adds -no_nonce or -sha256. */
function opensslRequest(name: string, certs: readonly string[], ...extra: string[]): Uint8Array {
  // The digest option must come before -cert.
  const args = ['ocsp', '-issuer', 'issuing.pem', ...extra, ...certs.flatMap((c) => ['-cert', c])];
  const { status, out } = openssl(...args, '-reqout', name);
  expect(status, out).toBe(0);
  return new Uint8Array(readFileSync(join(dir, name)));
}

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
/** How openssl prints a GeneralizedTime (ASN1_TIME_print): `Nov  9 23:47:15 2026 GMT`. */
const shown = (date: Date) =>
  `${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2)} ` +
  `${date.toISOString().slice(11, 19)} ${date.getUTCFullYear()} GMT`;

/** The lines openssl prints under a status line for THIS_UPDATE and NEXT_UPDATE. */
const TIMES = `\tThis Update: ${shown(THIS_UPDATE)}\n\tNext Update: ${shown(NEXT_UPDATE)}\n`;

function entry(certId: OcspCertId, status: OcspCertStatus) {
  return { certId, status, thisUpdate: THIS_UPDATE, nextUpdate: NEXT_UPDATE };
}

/** Writes the response and lets openssl check it against a request of its own, without nonce. */
function judge(response: Uint8Array, ...extra: string[]) {
  write('resp.der', response);
  return openssl(
    'ocsp',
    '-respin',
    'resp.der',
    '-issuer',
    'issuing.pem',
    '-CAfile',
    'root.pem',
    '-no_nonce',
    ...extra,
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ocsp-response-'));
  const rootKeys = await ecKeys('P-384');
  const rootCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=OCSP Test Root, O=cryptoutil',
    notBefore: at(-DAY),
    notAfter: at(DAY),
    keys: rootKeys,
    signingAlgorithm: SIGNING['P-384'],
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(CA_USAGE, true),
    ],
  });
  root = { cert: rootCert, keys: rootKeys, curve: 'P-384' };
  const issuingKeys = await ecKeys('P-384');
  issuing = {
    cert: await issue({
      subject: 'CN=OCSP Test Issuing CA, O=cryptoutil',
      keys: issuingKeys,
      issuer: root,
      serial: '02',
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(CA_USAGE, true),
      ],
    }),
    keys: issuingKeys,
    curve: 'P-384',
  };
  responderKeys = await ecKeys('P-256');
  const responderCert = await issue({
    subject: 'CN=OCSP Test Responder, O=cryptoutil',
    keys: responderKeys,
    issuer: issuing,
    serial: '03',
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.ocspSigning]),
      NOCHECK,
    ],
  });
  responder = {
    certificate: new Uint8Array(responderCert.rawData),
    privateKey: responderKeys.privateKey,
  };
  const leafExtensions = () => [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
  ];
  // A serial with the high bit set: DER adds a zero octet that the CertID serial drops.
  leaf = await issue({
    subject: 'CN=leaf.example',
    keys: await ecKeys('P-256'),
    issuer: issuing,
    serial: 'c0ffee0123456789abcdef0123456789',
    extensions: leafExtensions(),
  });
  const leaf2 = await issue({
    subject: 'CN=leaf2.example',
    keys: await ecKeys('P-256'),
    issuer: issuing,
    serial: '1d',
    extensions: leafExtensions(),
  });
  write('root.pem', rootCert.toString('pem'));
  write('issuing.pem', issuing.cert.toString('pem'));
  write('leaf.pem', leaf.toString('pem'));
  write('leaf2.pem', leaf2.toString('pem'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('requests made by openssl', () => {
  it('reads the leaf serial, the issuing CA hashes (SHA-1) and the 16-octet nonce', () => {
    const der = opensslRequest('req.der', ['leaf.pem']);
    const request = parseOcspRequest(der);
    const ids = ocspIssuerIdsOf(new Uint8Array(issuing.cert.rawData));
    expect(request.certIds).toHaveLength(1);
    const [certId] = request.certIds;
    expect(certId?.hashAlgorithm).toBe('SHA-1');
    expect(certId?.serial).toBe('c0ffee0123456789abcdef0123456789');
    expect(Buffer.from(certId?.issuerNameHash ?? [])).toEqual(Buffer.from(ids.sha1.name));
    expect(Buffer.from(certId?.issuerKeyHash ?? [])).toEqual(Buffer.from(ids.sha1.key));
    // openssl -req_text prints the extension's value: 04 10 and the 16 nonce octets.
    const text = openssl('ocsp', '-reqin', 'req.der', '-req_text').out;
    const shownNonce = /OCSP Nonce:\s*\n\s*([0-9A-F]+)/.exec(text)?.[1];
    expect(shownNonce).toBe(
      `0410${Buffer.from(request.nonce ?? []).toString('hex')}`.toUpperCase(),
    );
  });

  it('reads a SHA-256 CertID (-sha256) and no nonce (-no_nonce)', () => {
    const request = parseOcspRequest(
      opensslRequest('req256.der', ['leaf.pem'], '-sha256', '-no_nonce'),
    );
    const ids = ocspIssuerIdsOf(new Uint8Array(issuing.cert.rawData));
    expect(request.nonce).toBeUndefined();
    expect(request.certIds[0]?.hashAlgorithm).toBe('SHA-256');
    expect(Buffer.from(request.certIds[0]?.issuerNameHash ?? [])).toEqual(
      Buffer.from(ids.sha256.name),
    );
    expect(Buffer.from(request.certIds[0]?.issuerKeyHash ?? [])).toEqual(
      Buffer.from(ids.sha256.key),
    );
  });
});

describe('signed responses judged by openssl', () => {
  it('good, with the nonce echoed: verifies against the request it answers', async () => {
    const request = parseOcspRequest(opensslRequest('req.der', ['leaf.pem']));
    const certId = request.certIds[0]!;
    const response = await buildOcspResponse({
      responder,
      entries: [entry(certId, { status: 'good' })],
      producedAt: NOW,
      ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
    });
    write('resp.der', response);
    // -reqin alone: openssl compares the nonces and verifies the signature and delegation.
    const checked = openssl(
      'ocsp',
      '-respin',
      'resp.der',
      '-reqin',
      'req.der',
      '-issuer',
      'issuing.pem',
      '-CAfile',
      'root.pem',
      '-resp_text',
    );
    expect(checked.status, checked.out).toBe(0);
    expect(checked.out).toContain('Response verify OK');
    expect(checked.out).not.toContain('WARNING');
    expect(checked.out).toContain('Cert Status: good');
    expect(checked.out).toContain(`Produced At: ${shown(NOW)}`);
    expect(checked.out).toContain('Serial Number: C0FFEE0123456789ABCDEF0123456789');
    // -cert: openssl matches the CertID it computes itself and prints the status and times.
    const { status, out } = judge(response, '-cert', 'leaf.pem');
    expect(status, out).toBe(0);
    expect(out).toContain('Response verify OK');
    expect(out).toContain(`leaf.pem: good\n${TIMES}`);
  });

  it('revoked with keyCompromise: the reason and the revocation time', async () => {
    const certId = parseOcspRequest(opensslRequest('req.der', ['leaf.pem'])).certIds[0]!;
    const response = await buildOcspResponse({
      responder,
      entries: [
        entry(certId, { status: 'revoked', revokedAt: REVOKED_AT, reason: 'keyCompromise' }),
      ],
      producedAt: NOW,
    });
    const { status, out } = judge(response, '-cert', 'leaf.pem');
    expect(status, out).toBe(0);
    expect(out).toContain('Response verify OK');
    expect(out).toContain(
      `leaf.pem: revoked\n${TIMES}` +
        `\tReason: keyCompromise\n\tRevocation Time: ${shown(REVOKED_AT)}\n`,
    );
  });

  it('revoked without a reason: no Reason line', async () => {
    const certId = parseOcspRequest(opensslRequest('req.der', ['leaf.pem'])).certIds[0]!;
    const response = await buildOcspResponse({
      responder,
      entries: [entry(certId, { status: 'revoked', revokedAt: REVOKED_AT })],
      producedAt: NOW,
    });
    const { out } = judge(response, '-cert', 'leaf.pem');
    expect(out).toContain('Response verify OK');
    expect(out).toContain(`leaf.pem: revoked\n\tThis Update: ${shown(THIS_UPDATE)}`);
    expect(out).toContain(`\tRevocation Time: ${shown(REVOKED_AT)}`);
    expect(out).not.toContain('Reason:');
  });

  it('unknown', async () => {
    const certId = parseOcspRequest(opensslRequest('req.der', ['leaf.pem'])).certIds[0]!;
    const response = await buildOcspResponse({
      responder,
      entries: [entry(certId, { status: 'unknown' })],
      producedAt: NOW,
    });
    const { status, out } = judge(response, '-cert', 'leaf.pem');
    expect(status, out).toBe(0);
    expect(out).toContain('Response verify OK');
    expect(out).toContain(`leaf.pem: unknown\n\tThis Update: ${shown(THIS_UPDATE)}`);
  });

  it('two CertIDs in one request, each answered', async () => {
    const request = parseOcspRequest(
      opensslRequest('req2.der', ['leaf.pem', 'leaf2.pem'], '-no_nonce'),
    );
    expect(request.certIds.map((id) => id.serial)).toEqual([
      'c0ffee0123456789abcdef0123456789',
      '1d',
    ]);
    const [first, second] = request.certIds;
    const response = await buildOcspResponse({
      responder,
      entries: [
        entry(first!, { status: 'good' }),
        entry(second!, { status: 'revoked', revokedAt: REVOKED_AT, reason: 'superseded' }),
      ],
      producedAt: NOW,
    });
    const { status, out } = judge(response, '-cert', 'leaf.pem', '-cert', 'leaf2.pem');
    expect(status, out).toBe(0);
    expect(out).toContain('leaf.pem: good');
    expect(out).toContain('leaf2.pem: revoked');
    expect(out).toContain('Reason: superseded');
  });

  it('a SHA-256 CertID is echoed, and openssl finds its status with -sha256', async () => {
    const request = parseOcspRequest(
      opensslRequest('req256.der', ['leaf.pem'], '-sha256', '-no_nonce'),
    );
    const response = await buildOcspResponse({
      responder,
      entries: [entry(request.certIds[0]!, { status: 'good' })],
      producedAt: NOW,
    });
    const { status, out } = judge(response, '-sha256', '-cert', 'leaf.pem');
    expect(status, out).toBe(0);
    expect(out).toContain('leaf.pem: good');
    // The SHA-1 CertID openssl computes without -sha256 is not in this response.
    expect(judge(response, '-cert', 'leaf.pem').out).toContain('No Status found');
  });

  it('a nonce mismatch: openssl fails with "Nonce Verify error"', async () => {
    const request = parseOcspRequest(opensslRequest('req.der', ['leaf.pem']));
    const response = await buildOcspResponse({
      responder,
      entries: [entry(request.certIds[0]!, { status: 'good' })],
      producedAt: NOW,
      nonce: new Uint8Array(16).fill(7),
    });
    write('resp.der', response);
    const { status, out } = openssl(
      'ocsp',
      '-respin',
      'resp.der',
      '-reqin',
      'req.der',
      '-issuer',
      'issuing.pem',
      '-CAfile',
      'root.pem',
    );
    expect(out).toContain('Nonce Verify error');
    expect(out).not.toContain('Response verify OK');
    expect(status).toBe(1);
  });

  it('a nonce left out: openssl warns, then verifies', async () => {
    const request = parseOcspRequest(opensslRequest('req.der', ['leaf.pem']));
    const response = await buildOcspResponse({
      responder,
      entries: [entry(request.certIds[0]!, { status: 'good' })],
      producedAt: NOW,
    });
    write('resp.der', response);
    const { status, out } = openssl(
      'ocsp',
      '-respin',
      'resp.der',
      '-reqin',
      'req.der',
      '-issuer',
      'issuing.pem',
      '-CAfile',
      'root.pem',
    );
    expect(status, out).toBe(0);
    expect(out).toContain('WARNING: no nonce in response');
    expect(out).toContain('Response verify OK');
  });

  it('a response signed by a key other than the certified one fails verification', async () => {
    const other = await ecKeys('P-256');
    const certId = parseOcspRequest(opensslRequest('req.der', ['leaf.pem'])).certIds[0]!;
    const response = await createOcspSigner({
      certificate: responder.certificate,
      privateKey: other.privateKey,
    }).sign([entry(certId, { status: 'good' })], NOW);
    const { status, out } = judge(response, '-cert', 'leaf.pem');
    expect(out).toContain('Response Verify Failure');
    expect(status).toBe(1);
  });
});

describe('response encoding', () => {
  it('matches the @peculiar/asn1-ocsp schemas field by field', async () => {
    const request = parseOcspRequest(opensslRequest('req.der', ['leaf.pem']));
    const certId = request.certIds[0]!;
    const producedAt = new Date(NOW.getTime() + 789); // milliseconds are dropped
    const der = await createOcspSigner(responder).sign(
      [entry(certId, { status: 'revoked', revokedAt: REVOKED_AT, reason: 'cACompromise' })],
      producedAt,
      request.nonce,
    );
    const response = AsnConvert.parse(der, OCSPResponse);
    expect(response.responseStatus).toBe(OCSPResponseStatus.successful);
    expect(response.responseBytes?.responseType).toBe(id_pkix_ocsp_basic);
    const basic = AsnConvert.parse(response.responseBytes!.response, BasicOCSPResponse);
    const data = basic.tbsResponseData;
    expect(data.version).toBe(0);
    // §4.2.2.3: SHA-1 of the subjectPublicKey bits, here the uncompressed P-256 point.
    const point = await webcrypto.subtle.exportKey('raw', responderKeys.publicKey);
    const keyHash = createHash('sha1').update(new Uint8Array(point)).digest();
    expect(Buffer.from(data.responderID.byKey!.buffer)).toEqual(keyHash);
    expect(data.responderID.byName).toBeUndefined();
    expect(data.producedAt).toEqual(NOW);
    expect(data.responses).toHaveLength(1);
    const single = data.responses[0]!;
    expect(Buffer.from(AsnConvert.serialize(single.certID))).toEqual(Buffer.from(certId.der));
    expect(single.certStatus.revoked?.revocationTime).toEqual(REVOKED_AT);
    expect(single.certStatus.revoked?.revocationReason?.reason).toBe(2);
    expect(single.thisUpdate).toEqual(THIS_UPDATE);
    expect(single.nextUpdate).toEqual(NEXT_UPDATE);
    const [nonce] = data.responseExtensions ?? [];
    expect(nonce?.extnID).toBe('1.3.6.1.5.5.7.48.1.2');
    expect(nonce?.critical).toBe(false);
    expect(Buffer.from(nonce!.extnValue.buffer)).toEqual(
      Buffer.concat([Buffer.of(0x04, 0x10), request.nonce!]),
    );
    expect(basic.signatureAlgorithm.algorithm).toBe('1.2.840.10045.4.3.2');
    expect(basic.signatureAlgorithm.parameters).toBeUndefined();
    expect(basic.certs).toHaveLength(1);
    expect(Buffer.from(AsnConvert.serialize(basic.certs![0]))).toEqual(
      Buffer.from(responder.certificate),
    );
    // GeneralizedTime without fractional seconds (RFC 5019 §2.2.4).
    const generalizedTime = (date: Date) =>
      Buffer.concat([
        Buffer.of(0x18, 0x0f),
        Buffer.from(`${date.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`),
      ]);
    expect(Buffer.from(der).includes(generalizedTime(NOW))).toBe(true);
    expect(Buffer.from(der).includes(Buffer.from('.789Z'))).toBe(false);
  });

  it('signs with RSA (sha256WithRSAEncryption, NULL parameters) and Ed25519', async () => {
    const certId = parseOcspRequest(opensslRequest('req.der', ['leaf.pem'], '-no_nonce'))
      .certIds[0]!;
    const rsa = await generate({
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: Uint8Array.of(1, 0, 1),
      hash: 'SHA-256',
    });
    const ed = await generate({ name: 'Ed25519' });
    // sha256WithRSAEncryption with NULL parameters (RFC 4055 §5); Ed25519 without (RFC 8410 §3).
    for (const [keys, algorithmIdentifier] of [
      [rsa, '300d06092a864886f70d01010b0500'],
      [ed, '300506032b6570'],
    ] as const) {
      const cert = await issue({
        subject: 'CN=Other Responder',
        keys,
        issuer: issuing,
        serial: '04',
        extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.ocspSigning])],
      });
      const der = await buildOcspResponse({
        responder: { certificate: new Uint8Array(cert.rawData), privateKey: keys.privateKey },
        entries: [entry(certId, { status: 'good' })],
        producedAt: NOW,
      });
      const basic = AsnConvert.parse(
        AsnConvert.parse(der, OCSPResponse).responseBytes!.response,
        BasicOCSPResponse,
      );
      expect(Buffer.from(AsnConvert.serialize(basic.signatureAlgorithm)).toString('hex')).toBe(
        algorithmIdentifier,
      );
      const { status, out } = judge(der, '-cert', 'leaf.pem');
      expect(status, out).toBe(0);
      expect(out).toContain('Response verify OK');
      expect(out).toContain('leaf.pem: good');
    }
  });

  it('refuses programming errors with TypeError', async () => {
    const certId = parseOcspRequest(opensslRequest('req.der', ['leaf.pem'], '-no_nonce'))
      .certIds[0]!;
    const signer = createOcspSigner(responder);
    await expect(signer.sign([], NOW)).rejects.toThrow(TypeError);
    await expect(
      signer.sign([{ ...entry(certId, { status: 'good' }), nextUpdate: at(-DAY) }], NOW),
    ).rejects.toThrow('nextUpdate is before thisUpdate');
    await expect(
      signer.sign([entry(certId, { status: 'good' })], NOW, new Uint8Array(33)),
    ).rejects.toThrow('1 to 32 octets');
    await expect(signer.sign([entry(certId, { status: 'good' })], new Date(NaN))).rejects.toThrow(
      'invalid date',
    );
    expect(() => createOcspSigner({ ...responder, certificate: Uint8Array.of(1, 2) })).toThrow(
      TypeError,
    );
  });
});

describe('ocspErrorResponse', () => {
  const cases: [OcspErrorStatus, string][] = [
    ['malformedRequest', 'malformedrequest (1)'],
    ['internalError', 'internalerror (2)'],
    ['tryLater', 'trylater (3)'],
    ['sigRequired', 'sigrequired (5)'],
    ['unauthorized', 'unauthorized (6)'],
  ];

  it.each(cases)('%s: openssl prints "Responder Error: %s"', (status, shownStatus) => {
    const der = ocspErrorResponse(status);
    expect(Buffer.from(der)).toEqual(
      Buffer.from(
        AsnConvert.serialize(new OCSPResponse({ responseStatus: OCSPResponseStatus[status] })),
      ),
    );
    write('error.der', der);
    const { out } = openssl('ocsp', '-respin', 'error.der', '-resp_text');
    expect(out).toContain(`Responder Error: ${shownStatus}`);
  });

  it('is a fresh copy each time and refuses a status that is not an error', () => {
    const first = ocspErrorResponse('malformedRequest');
    first.fill(0);
    expect(Buffer.from(ocspErrorResponse('malformedRequest'))).toEqual(
      Buffer.of(0x30, 0x03, 0x0a, 0x01, 0x01),
    );
    expect(() => ocspErrorResponse('successful' as OcspErrorStatus)).toThrow(TypeError);
    expect(() => ocspErrorResponse('other' as OcspErrorStatus)).toThrow(TypeError);
  });
});
