// CRLs (RFC 5280 §5) judged by OpenSSL 3.0: `openssl crl -text -CAfile` checks the signature and
// prints every field, `openssl verify -crl_check` refuses revoked leaves through full and
// partition CRLs. A root, issuing CAs (P-384, RSA-2048, Ed25519) and leaves with a CRLDP come
// from @peculiar/x509; each CA signs its CRLs through a non-extractable CryptoKey. The hand-framed
// DER is checked byte for byte against @peculiar/asn1-schema's encoding of the same TBSCertList.
//
// reflect-metadata first: @peculiar/x509's dependency injection (tsyringe) needs it loaded.
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { KeyObject, randomBytes, verify, webcrypto, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsnConvert, AsnIntegerBigIntConverter, OctetString } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCaError } from '../domain/ca-error.js';
import { REVOCATION_REASONS, type RevokedEntry } from '../domain/revocation.js';
import { buildCrl, crlToPem, type BuildCrlInput } from './crl.js';
import type { SigningCa } from './signing-ca.js';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type KeyAlgorithm =
  webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams | webcrypto.Algorithm;
const P384 = { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' };
const RSA2048 = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};
const ED25519 = { name: 'Ed25519' };
const P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const BASE = 'http://127.0.0.1:8051/.well-known/pki-ca/crl/issuing-1';

interface TestCa {
  readonly cert: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
  readonly algorithm: KeyAlgorithm;
  /** What buildCrl gets: the certificate DER and the key imported non-extractable. */
  readonly signing: SigningCa;
}

async function keyPair(algorithm: KeyAlgorithm): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function nonExtractable(key: CryptoKey, algorithm: KeyAlgorithm): Promise<CryptoKey> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key);
  const imported = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
  expect(imported.extractable).toBe(false);
  return imported;
}

async function createCa(
  algorithm: KeyAlgorithm,
  subject: string,
  parent?: TestCa,
  options: { ski?: boolean } = {},
): Promise<TestCa> {
  const keys = await keyPair(algorithm);
  const usage = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, parent === undefined ? undefined : 0, true),
    new x509.KeyUsagesExtension(usage, true),
  ];
  if (options.ski !== false) {
    extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  }
  if (parent !== undefined) {
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(parent.cert));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(16).toString('hex'),
    subject,
    issuer: parent?.cert.subject ?? subject,
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: parent?.keys.privateKey ?? keys.privateKey,
    signingAlgorithm: parent?.algorithm ?? algorithm,
    extensions,
  });
  const privateKey = await nonExtractable(keys.privateKey, algorithm);
  return {
    cert,
    keys,
    algorithm,
    signing: { certificate: new Uint8Array(cert.rawData), privateKey },
  };
}

async function createLeaf(ca: TestCa, serial: string, crldp: string): Promise<string> {
  const keys = await keyPair(P256);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: `CN=leaf ${serial}`,
    issuer: ca.cert.subject,
    notBefore: new Date(NOW.getTime() - HOUR),
    notAfter: new Date(NOW.getTime() + 30 * DAY),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ca.algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      new x509.CRLDistributionPointsExtension([crldp]),
    ],
  });
  return cert.toString('pem');
}

let dir: string;
let root: TestCa;
let issuing: TestCa;

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

function openssl(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('/usr/bin/openssl', args, { cwd: dir, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `openssl crl -text` lines up to the signature value, trailing blanks removed. */
function crlText(crl: Uint8Array, caFile: string): string[] {
  const result = openssl('crl', '-in', write('crl.pem', crlToPem(crl)), '-noout', '-text');
  const verified = openssl('crl', '-in', 'crl.pem', '-noout', '-CAfile', caFile);
  expect(verified.stderr.trim()).toBe('verify OK');
  expect(result.status).toBe(0);
  const lines = result.stdout.split('\n').map((line) => line.trimEnd());
  return lines.slice(0, lines.indexOf('    Signature Value:'));
}

/** `openssl verify -crl_check` of a leaf against root → issuing with this CRL. */
function verifyLeaf(leafPem: string, crl: Uint8Array, caPem = issuing.cert.toString('pem')) {
  write('root.pem', root.cert.toString('pem'));
  write('issuing.pem', caPem);
  write('verify-crl.pem', crlToPem(crl));
  write('leaf.pem', leafPem);
  const args = ['-crl_check', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem'];
  const result = openssl('verify', ...args, '-CRLfile', 'verify-crl.pem', 'leaf.pem');
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

const colonHex = (bytes: ArrayBuffer | Uint8Array) =>
  Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
    .toString('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');

const skiOf = (ca: TestCa) =>
  colonHex(Buffer.from(ca.cert.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId, 'hex'));

function input(overrides: Partial<BuildCrlInput> = {}): BuildCrlInput {
  return {
    issuer: issuing.signing,
    crlNumber: 1n,
    thisUpdate: new Date(NOW.getTime() - HOUR),
    nextUpdate: new Date(NOW.getTime() + 7 * DAY),
    entries: [],
    ...overrides,
  };
}

const parseCrl = (crl: Uint8Array) => AsnConvert.parse(crl, asn.CertificateList);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ca-crl-'));
  root = await createCa(P384, 'CN=Test Root, O=cryptoutil');
  issuing = await createCa(P384, 'CN=Issuing CA P-384, O=cryptoutil', root);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildCrl, judged by openssl crl -text', () => {
  it('prints version, issuer, times, AKI, CRL number and each entry’s reason', async () => {
    const crl = await buildCrl(
      input({
        crlNumber: 42n,
        thisUpdate: new Date('2030-01-01T00:00:00.750Z'),
        nextUpdate: new Date('2030-01-08T00:00:00Z'),
        entries: [
          {
            serial: 'a1b2c3d4e5f60718',
            revokedAt: new Date('2029-12-31T12:00:00Z'),
            reason: 'keyCompromise',
          },
          { serial: '0f', revokedAt: new Date('2029-12-30T08:30:05Z') },
          { serial: '1234', revokedAt: new Date('2029-12-30T00:00:00Z'), reason: 'unspecified' },
          { serial: '7e', revokedAt: new Date('2029-12-29T00:00:00Z'), reason: 'certificateHold' },
          { serial: '7f', revokedAt: new Date('2029-12-28T00:00:00Z'), reason: 'cACompromise' },
          { serial: '80', revokedAt: new Date('2029-12-27T00:00:00Z'), reason: 'superseded' },
        ],
      }),
    );
    expect(crlText(crl, write('issuing.pem', issuing.cert.toString('pem')))).toEqual([
      'Certificate Revocation List (CRL):',
      '        Version 2 (0x1)',
      '        Signature Algorithm: ecdsa-with-SHA384',
      '        Issuer: CN = Issuing CA P-384, O = cryptoutil',
      '        Last Update: Jan  1 00:00:00 2030 GMT',
      '        Next Update: Jan  8 00:00:00 2030 GMT',
      '        CRL extensions:',
      '            X509v3 Authority Key Identifier:',
      `                ${skiOf(issuing)}`,
      '            X509v3 CRL Number:',
      '                42',
      'Revoked Certificates:',
      '    Serial Number: A1B2C3D4E5F60718',
      '        Revocation Date: Dec 31 12:00:00 2029 GMT',
      '        CRL entry extensions:',
      '            X509v3 CRL Reason Code:',
      '                Key Compromise',
      '    Serial Number: 0F',
      '        Revocation Date: Dec 30 08:30:05 2029 GMT',
      '    Serial Number: 1234',
      '        Revocation Date: Dec 30 00:00:00 2029 GMT',
      '    Serial Number: 7E',
      '        Revocation Date: Dec 29 00:00:00 2029 GMT',
      '        CRL entry extensions:',
      '            X509v3 CRL Reason Code:',
      '                Certificate Hold',
      '    Serial Number: 7F',
      '        Revocation Date: Dec 28 00:00:00 2029 GMT',
      '        CRL entry extensions:',
      '            X509v3 CRL Reason Code:',
      '                CA Compromise',
      '    Serial Number: 80',
      '        Revocation Date: Dec 27 00:00:00 2029 GMT',
      '        CRL entry extensions:',
      '            X509v3 CRL Reason Code:',
      '                Superseded',
      '    Signature Algorithm: ecdsa-with-SHA384',
    ]);
  });
});

describe('buildCrl, judged by openssl verify -crl_check', () => {
  const revokedSerial = '9c2f61a0b7e43d1258f0a6c4e2d8b7f1'; // high bit: encoded with a 00 octet
  const goodSerial = '1c2f61a0b7e43d1258f0a6c4e2d8b7f1';
  const crldp = `${BASE}/7.crl`;
  let revokedLeaf: string;
  let goodLeaf: string;
  let entries: RevokedEntry[];

  beforeAll(async () => {
    revokedLeaf = await createLeaf(issuing, revokedSerial, crldp);
    goodLeaf = await createLeaf(issuing, goodSerial, crldp);
    const revokedAt = new Date(NOW.getTime() - 2 * HOUR);
    entries = [
      { serial: '05', revokedAt, reason: 'superseded' },
      { serial: revokedSerial, revokedAt, reason: 'keyCompromise' },
    ];
  });

  it('refuses the revoked leaf and accepts the good one with a full CRL (no IDP)', async () => {
    const crl = await buildCrl(input({ entries }));
    expect(verifyLeaf(revokedLeaf, crl)).toEqual({
      status: 2,
      output: [
        `CN = leaf ${revokedSerial}`,
        'error 23 at 0 depth lookup: certificate revoked',
        'error leaf.pem: verification failed',
      ].join('\n'),
    });
    expect(verifyLeaf(goodLeaf, crl)).toEqual({ status: 0, output: 'leaf.pem: OK' });
  });

  it('gives the same verdicts with a partition CRL whose IDP is the leaves’ CRLDP', async () => {
    const crl = await buildCrl(input({ entries, distributionPoint: crldp }));
    const text = crlText(crl, write('issuing.pem', issuing.cert.toString('pem')));
    const idp = text.indexOf('            X509v3 Issuing Distribution Point: critical');
    // OpenSSL 3.0 prints the flag on the URI's line (its print_distpoint ends no line there).
    expect(text.slice(idp, idp + 4)).toEqual([
      '            X509v3 Issuing Distribution Point: critical',
      '                Full Name:',
      `                  URI:${crldp}                Only User Certificates`,
      '',
    ]);
    expect(verifyLeaf(revokedLeaf, crl).output).toContain(
      'error 23 at 0 depth lookup: certificate revoked',
    );
    expect(verifyLeaf(goodLeaf, crl)).toEqual({ status: 0, output: 'leaf.pem: OK' });
  });

  it('is refused by openssl for a leaf whose CRLDP names another partition', async () => {
    // OpenSSL 3.0 matches the IDP's fullName against the certificate's CRLDP (x509_vfy.c
    // crl_crldp_check → idp_check_dp): another partition's CRL is out of this leaf's scope.
    const crl = await buildCrl(input({ entries, distributionPoint: `${BASE}/8.crl` }));
    expect(verifyLeaf(revokedLeaf, crl)).toEqual({
      status: 2,
      output: [
        `CN = leaf ${revokedSerial}`,
        'error 44 at 0 depth lookup: different CRL scope',
        'error leaf.pem: verification failed',
      ].join('\n'),
    });
  });

  it('lists a serial with the high bit set as a positive INTEGER (leading 00)', async () => {
    const crl = await buildCrl(input({ entries }));
    const listed = parseCrl(crl).tbsCertList.revokedCertificates ?? [];
    expect(listed.map((entry) => Buffer.from(entry.userCertificate).toString('hex'))).toEqual([
      '05',
      `00${revokedSerial}`,
    ]);
    expect(new X509Certificate(revokedLeaf).serialNumber.toLowerCase()).toBe(revokedSerial);
  });

  it('signs with an RSA-2048 issuing CA (sha256WithRSAEncryption)', async () => {
    const rsa = await createCa(RSA2048, 'CN=Issuing CA RSA, O=cryptoutil', root);
    const leaf = await createLeaf(rsa, revokedSerial, crldp);
    const crl = await buildCrl(input({ issuer: rsa.signing, entries }));
    const text = crlText(crl, write('issuing-rsa.pem', rsa.cert.toString('pem')));
    expect(text[2]).toBe('        Signature Algorithm: sha256WithRSAEncryption');
    expect(text[8]).toBe(`                ${skiOf(rsa)}`);
    expect(verifyLeaf(leaf, crl, rsa.cert.toString('pem')).output).toContain(
      'error 23 at 0 depth lookup: certificate revoked',
    );
  });

  it('signs with an Ed25519 issuing CA (RFC 8410)', async () => {
    const ed = await createCa(ED25519, 'CN=Issuing CA Ed25519, O=cryptoutil', root);
    const crl = await buildCrl(input({ issuer: ed.signing, entries }));
    const text = crlText(crl, write('issuing-ed.pem', ed.cert.toString('pem')));
    expect(text[2]).toBe('        Signature Algorithm: ED25519');
  });

  it('builds a valid CRL without revokedCertificates for an empty list (§5.1.2.6)', async () => {
    const crl = await buildCrl(
      input({
        crlNumber: 3n,
        entries: [{ serial: '0a', revokedAt: NOW, reason: 'removeFromCRL' }],
      }),
    );
    expect(parseCrl(crl).tbsCertList.revokedCertificates).toBeUndefined();
    const text = crlText(crl, write('issuing.pem', issuing.cert.toString('pem')));
    expect(text.slice(9)).toEqual([
      '            X509v3 CRL Number:',
      '                3',
      'No Revoked Certificates.',
      '    Signature Algorithm: ecdsa-with-SHA384',
    ]);
    expect(verifyLeaf(goodLeaf, crl)).toEqual({ status: 0, output: 'leaf.pem: OK' });
    const empty = await buildCrl(input({ crlNumber: 3n, entries: [] }));
    expect(parseCrl(empty).tbsCertListRaw).toEqual(parseCrl(crl).tbsCertListRaw);
  });
});

describe('buildCrl encodings', () => {
  it('encodes a CRL number above 2^64 as one positive INTEGER (RFC 5280 §5.2.3)', async () => {
    const crlNumber = 2n ** 64n + 5n;
    const crl = await buildCrl(input({ crlNumber }));
    const text = crlText(crl, write('issuing.pem', issuing.cert.toString('pem')));
    expect(text.slice(9, 11)).toEqual([
      '            X509v3 CRL Number:',
      '                18446744073709551621',
    ]);
    const extension = parseCrl(crl).tbsCertList.crlExtensions?.[1];
    expect(extension?.extnID).toBe(asn.id_ce_cRLNumber);
    expect(extension?.critical).toBe(false);
    expect(Buffer.from(extension!.extnValue.buffer).toString('hex')).toBe('0209010000000000000005');
    const largest = await buildCrl(input({ crlNumber: 2n ** 159n - 1n }));
    const value = parseCrl(largest).tbsCertList.crlExtensions?.[1]?.extnValue.buffer;
    expect(Buffer.from(value!).toString('hex')).toBe(`0214${'7f'}${'ff'.repeat(19)}`);
  });

  it('writes UTCTime through 2049 and GeneralizedTime from 2050, in whole seconds', async () => {
    const crl = await buildCrl(
      input({
        thisUpdate: new Date('2049-12-31T23:59:59.999Z'),
        nextUpdate: new Date('2050-01-01T00:00:00.500Z'),
        entries: [
          { serial: '01', revokedAt: new Date('2049-12-31T23:59:59.999Z') },
          { serial: '02', revokedAt: new Date('2050-01-01T00:00:00Z') },
          { serial: '03', revokedAt: new Date('1950-01-01T00:00:00Z') },
        ],
      }),
    );
    const tbs = Buffer.from(parseCrl(crl).tbsCertListRaw!);
    expect(tbs.includes(Buffer.from('170d3439313233313233353935395a', 'hex'))).toBe(true);
    expect(tbs.includes(Buffer.from('180f32303530303130313030303030305a', 'hex'))).toBe(true);
    expect(tbs.includes(Buffer.from('170d3530303130313030303030305a', 'hex'))).toBe(true);
    const text = crlText(crl, write('issuing.pem', issuing.cert.toString('pem')));
    expect(text.slice(4, 6)).toEqual([
      '        Last Update: Dec 31 23:59:59 2049 GMT',
      '        Next Update: Jan  1 00:00:00 2050 GMT',
    ]);
    expect(text.filter((line) => line.includes('Revocation Date'))).toEqual([
      '        Revocation Date: Dec 31 23:59:59 2049 GMT',
      '        Revocation Date: Jan  1 00:00:00 2050 GMT',
      '        Revocation Date: Jan  1 00:00:00 1950 GMT',
    ]);
  });

  it('frames a TBSCertList byte-equal to the schema encoding of the same CRL', async () => {
    const reasons = [undefined, ...Object.keys(REVOCATION_REASONS)] as RevokedEntry['reason'][];
    const serials = ['01', '7f', '80', 'abc', 'ff'.repeat(20), '7f'.repeat(20)];
    for (let octets = 1; octets <= 20; octets += 1)
      serials.push(randomBytes(octets).toString('hex'));
    const entries: RevokedEntry[] = serials
      .map((hex) => hex.replace(/^0+/, '') || '01')
      .map((serial, i) => {
        const revokedAt = new Date(Date.UTC(1950, 0, 1) + i * 1_234_567_890_123 + 789);
        const reason = reasons[i % reasons.length];
        return reason === undefined ? { serial, revokedAt } : { serial, revokedAt, reason };
      });
    const uri = `${BASE}/12.crl`;
    const thisUpdate = new Date('2031-05-06T07:08:09.010Z');
    const nextUpdate = new Date('2051-05-06T07:08:09Z');
    const crl = await buildCrl(
      input({ crlNumber: 4711n, thisUpdate, nextUpdate, entries, distributionPoint: uri }),
    );

    const extension = (extnID: string, critical: boolean, value: unknown) =>
      new asn.Extension({
        extnID,
        critical,
        extnValue: new OctetString(AsnConvert.serialize(value)),
      });
    const keyId = Buffer.from(
      issuing.cert.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId,
      'hex',
    );
    const expected = new asn.TBSCertList({
      version: asn.Version.v2,
      signature: new asn.AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.3' }),
      issuer: AsnConvert.parse(issuing.cert.subjectName.toArrayBuffer(), asn.Name),
      thisUpdate: new asn.Time(thisUpdate),
      nextUpdate: new asn.Time(nextUpdate),
      revokedCertificates: entries
        .filter((entry) => entry.reason !== 'removeFromCRL')
        .map((entry) => {
          const integer = AsnIntegerBigIntConverter.toASN(BigInt(`0x${entry.serial}`));
          const revoked = new asn.RevokedCertificate({
            userCertificate: new Uint8Array(integer.valueBlock.valueHexView).buffer,
            revocationDate: new asn.Time(entry.revokedAt),
          });
          if (entry.reason !== undefined && entry.reason !== 'unspecified') {
            const reason = new asn.CRLReason(REVOCATION_REASONS[entry.reason]);
            revoked.crlEntryExtensions = [extension(asn.id_ce_cRLReasons, false, reason)];
          }
          return revoked;
        }),
      crlExtensions: [
        extension(
          asn.id_ce_authorityKeyIdentifier,
          false,
          new asn.AuthorityKeyIdentifier({ keyIdentifier: new asn.KeyIdentifier(keyId) }),
        ),
        extension(asn.id_ce_cRLNumber, false, new asn.CRLNumber(4711)),
        extension(
          asn.id_ce_issuingDistributionPoint,
          true,
          new asn.IssuingDistributionPoint({
            distributionPoint: new asn.DistributionPointName({
              fullName: [new asn.GeneralName({ uniformResourceIdentifier: uri })],
            }),
            onlyContainsUserCerts: true,
          }),
        ),
      ],
    });
    expect(expected.revokedCertificates).toHaveLength(entries.length - 2); // removeFromCRL
    expect(Buffer.from(parseCrl(crl).tbsCertListRaw!).toString('hex')).toBe(
      Buffer.from(AsnConvert.serialize(expected)).toString('hex'),
    );
  });

  it('lists 2,000 entries (a SEQUENCE longer than 65,535 octets) that openssl reads', async () => {
    const entries = Array.from({ length: 2000 }, (_, i) => ({
      serial: randomBytes(16).toString('hex').replace(/^0+/, ''),
      revokedAt: new Date(NOW.getTime() - i * 1000),
      reason: i % 2 === 0 ? ('keyCompromise' as const) : ('superseded' as const),
    }));
    const crl = await buildCrl(input({ entries }));
    const text = crlText(crl, write('issuing.pem', issuing.cert.toString('pem')));
    expect(text.filter((line) => line.startsWith('    Serial Number: '))).toHaveLength(2000);
    expect(text.filter((line) => line === '                Key Compromise')).toHaveLength(1000);
    expect(text.filter((line) => line === '                Superseded')).toHaveLength(1000);
  });

  it('signs ECDSA as a DER Ecdsa-Sig-Value that verifies (RFC 3279 §2.2.3)', async () => {
    const lengths = new Set<number>();
    for (let i = 0; i < 48; i += 1) {
      const parsed = parseCrl(await buildCrl(input({ crlNumber: BigInt(i) })));
      const signature = Buffer.from(parsed.signature);
      // r: 49 octets with the 00 octet of a high bit, else 48 (fewer for leading zeros).
      lengths.add(signature[3]!);
      const tbs = Buffer.from(parsed.tbsCertListRaw!);
      const key = { key: KeyObject.from(issuing.keys.publicKey), dsaEncoding: 'der' } as const;
      expect(verify('sha384', tbs, key, signature)).toBe(true); // strict DER (OpenSSL)
    }
    expect(lengths.has(48) && lengths.has(49)).toBe(true); // both cases, 2^-47 to miss one
  });

  it('refuses malformed input with a TypeError naming the field', async () => {
    const at = NOW;
    const refused = (overrides: Partial<BuildCrlInput>) => buildCrl(input(overrides));
    for (const serial of ['', '00', 'xyz', 'ABCD', '12 4', '1'.repeat(41), 'é1']) {
      await expect(refused({ entries: [{ serial, revokedAt: at }] })).rejects.toThrow(
        new TypeError('entries[0].serial must be positive lowercase hex'),
      );
    }
    const early = { serial: '02', revokedAt: new Date('1949-12-31T23:59:59Z') };
    await expect(refused({ entries: [{ serial: '01', revokedAt: at }, early] })).rejects.toThrow(
      new TypeError('entries[1].revokedAt is not a date in 1950..9999'),
    );
    await expect(
      refused({ entries: [{ serial: '01', revokedAt: new Date(NaN) }] }),
    ).rejects.toThrow('entries[0].revokedAt is not a date in 1950..9999');
    await expect(refused({ nextUpdate: new Date(NOW.getTime() - HOUR) })).rejects.toThrow(
      new TypeError('nextUpdate must be later than thisUpdate'),
    );
    await expect(refused({ thisUpdate: new Date(NaN) })).rejects.toThrow(
      'nextUpdate must be later than thisUpdate',
    );
    for (const crlNumber of [-1n, 2n ** 159n]) {
      await expect(refused({ crlNumber })).rejects.toThrow(
        new TypeError('crlNumber must be 0 ≤ n < 2^159 (RFC 5280 §5.2.3: ≤ 20 octets)'),
      );
    }
    for (const distributionPoint of ['', '/relative', 'http://a b/', 'http://ä.example/']) {
      await expect(refused({ distributionPoint })).rejects.toThrow(
        new TypeError('distributionPoint must be an ASCII URI (an IA5String GeneralName)'),
      );
    }
  });

  it('refuses a CA certificate without a subjectKeyIdentifier (ca-unavailable)', async () => {
    const bare = await createCa(P384, 'CN=No SKI CA', root, { ski: false });
    const error: unknown = await buildCrl(input({ issuer: bare.signing })).catch((e: unknown) => e);
    expect(isCaError(error, 'ca-unavailable')).toBe(true);
    expect((error as Error).message).toBe(
      'the CA certificate has no subjectKeyIdentifier (RFC 5280 §4.2.1.2) for the CRL AKI',
    );
  });

  it('refuses an RSA key imported for another hash than its signature algorithm', async () => {
    const keys = await keyPair({ ...RSA2048, hash: 'SHA-384' });
    const issuer = { certificate: issuing.signing.certificate, privateKey: keys.privateKey };
    await expect(buildCrl(input({ issuer }))).rejects.toThrow(
      new TypeError('the RSA CA key must be imported for SHA-256, not SHA-384'),
    );
  });
});

describe('crlToPem', () => {
  it('wraps the DER in 64-column base64 under the X509 CRL label (RFC 7468 §6)', () => {
    const der = new Uint8Array(randomBytes(100));
    const pem = crlToPem(der.subarray(3, 99));
    const lines = pem.split('\n');
    expect(lines[0]).toBe('-----BEGIN X509 CRL-----');
    expect(lines.slice(1, -2).map((line) => line.length)).toEqual([64, 64]);
    expect(lines.slice(-2)).toEqual(['-----END X509 CRL-----', '']);
    expect(Buffer.from(lines.slice(1, -2).join(''), 'base64')).toEqual(
      Buffer.from(der.subarray(3, 99)),
    );
  });
});
