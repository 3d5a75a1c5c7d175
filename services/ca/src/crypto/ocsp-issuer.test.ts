// The issuer hashes of a CA certificate against the CertIDs openssl computes for it (SHA-1, -256,
// -384, -512), read from `openssl ocsp -reqout` requests through the @peculiar/asn1-ocsp
// schemas; and matchesIssuer, including a re-keyed CA with the same name.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { OCSPRequest } from '@peculiar/asn1-ocsp';
import { AsnConvert } from '@peculiar/asn1-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesIssuer, ocspIssuerIdsOf, type OcspIssuerIds } from './ocsp-issuer.js';
import type { OcspCertId, OcspHashAlgorithm } from './ocsp-request.js';

let dir: string;

const openssl = (...args: string[]) => execFileSync('/usr/bin/openssl', args, { cwd: dir });

/** A self-signed P-384 CA; the subject mixes PrintableString and UTF8String (non-ASCII). */
function makeCa(name: string, subject: string): Uint8Array {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-384',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-subj',
    subject,
    '-utf8',
    '-days',
    '1',
  );
  return new Uint8Array(new X509Certificate(readFileSync(join(dir, `${name}.pem`))).raw);
}

const DIGEST: Record<OcspHashAlgorithm, string> = {
  'SHA-1': '-sha1',
  'SHA-256': '-sha256',
  'SHA-384': '-sha384',
  'SHA-512': '-sha512',
};

/** The CertID openssl computes for serial 1 of `ca`, read with the asn1-ocsp schema. */
function opensslCertId(ca: string, hashAlgorithm: OcspHashAlgorithm): OcspCertId {
  openssl(
    'ocsp',
    '-issuer',
    `${ca}.pem`,
    DIGEST[hashAlgorithm],
    '-serial',
    '0x01',
    '-no_nonce',
    '-reqout',
    'req.der',
  );
  const request = AsnConvert.parse(readFileSync(join(dir, 'req.der')), OCSPRequest);
  const certId = request.tbsRequest.requestList[0]!.reqCert;
  return {
    hashAlgorithm,
    issuerNameHash: new Uint8Array(certId.issuerNameHash.buffer),
    issuerKeyHash: new Uint8Array(certId.issuerKeyHash.buffer),
    serial: '01',
    der: new Uint8Array(AsnConvert.serialize(certId)),
  };
}

let ca: Uint8Array;
let rekeyed: Uint8Array;
let ids: OcspIssuerIds;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ocsp-issuer-'));
  ca = makeCa('ca', '/C=DE/O=Example Trust/CN=Issuing CA Ä');
  rekeyed = makeCa('rekeyed', '/C=DE/O=Example Trust/CN=Issuing CA Ä');
  ids = ocspIssuerIdsOf(ca);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ocspIssuerIdsOf', () => {
  const KEYS = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

  it.each(Object.entries(KEYS) as [OcspHashAlgorithm, keyof OcspIssuerIds][])(
    '%s: the name and key hashes are those openssl puts in its CertID',
    (algorithm, key) => {
      const certId = opensslCertId('ca', algorithm);
      expect(Buffer.from(ids[key].name).toString('hex')).toBe(
        Buffer.from(certId.issuerNameHash).toString('hex'),
      );
      expect(Buffer.from(ids[key].key).toString('hex')).toBe(
        Buffer.from(certId.issuerKeyHash).toString('hex'),
      );
      expect(ids[key].name).toHaveLength(certId.issuerNameHash.length);
      expect(matchesIssuer(certId, ids)).toBe(true);
    },
  );

  it('refuses bytes that are not a certificate with TypeError', () => {
    expect(() => ocspIssuerIdsOf(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01))).toThrow(
      'ocspIssuerIdsOf: not a DER certificate',
    );
    expect(() => ocspIssuerIdsOf(new Uint8Array())).toThrow(TypeError);
  });
});

describe('matchesIssuer', () => {
  it('is false for a CA with the same name and another key (a re-keyed CA)', () => {
    const certId = opensslCertId('rekeyed', 'SHA-256');
    const rekeyedIds = ocspIssuerIdsOf(rekeyed);
    expect(Buffer.from(rekeyedIds.sha256.name)).toEqual(Buffer.from(ids.sha256.name));
    expect(matchesIssuer(certId, rekeyedIds)).toBe(true);
    expect(matchesIssuer(certId, ids)).toBe(false);
  });

  it('is false when the name hash differs, or the hash is read as another algorithm', () => {
    const certId = opensslCertId('ca', 'SHA-1');
    const otherName = { ...certId, issuerNameHash: new Uint8Array(20) };
    expect(matchesIssuer(otherName, ids)).toBe(false);
    // The same digests labelled SHA-256 do not match the SHA-256 hashes.
    expect(matchesIssuer({ ...certId, hashAlgorithm: 'SHA-256' }, ids)).toBe(false);
  });
});
