// Reading OCSP requests: requests made by `openssl ocsp -reqout` (SHA-1 to SHA-512 CertIDs,
// nonces, several serials, a signed request), requests built with the @peculiar/asn1-ocsp
// schemas to break one rule at a time (each must be 'malformedRequest'), and the GET encoding
// of RFC 6960 Appendix A.1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertID, OCSPRequest, Request, TBSRequest } from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Extension, GeneralName } from '@peculiar/asn1-x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeOcspGetPath,
  ID_PKIX_OCSP_NONCE,
  MAX_OCSP_REQUESTS,
  OcspRequestError,
  parseOcspRequest,
} from './ocsp-request.js';
import { der, derBoolean, derOctetString, derOid, derSequence } from './pem.js';

let dir: string;

const openssl = (...args: string[]) => execFileSync('/usr/bin/openssl', args, { cwd: dir });

/** A request made by openssl for the test CA; `args` name digests, serials and options. */
function opensslRequest(...args: string[]): Uint8Array {
  openssl('ocsp', '-issuer', 'ca.pem', ...args, '-reqout', 'req.der');
  return new Uint8Array(readFileSync(join(dir, 'req.der')));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ocsp-request-'));
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-subj',
    '/CN=OCSP Request Test CA',
    '-days',
    '1',
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const SHA1 = '1.3.14.3.2.26';
const SHA256 = '2.16.840.1.101.3.4.2.1';
const MD5 = '1.2.840.113549.2.5';

function certId(
  options: {
    algorithm?: string;
    parameters?: ArrayBuffer | null;
    size?: number;
    serial?: number[];
  } = {},
): CertID {
  const size = options.size ?? 20;
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({
      algorithm: options.algorithm ?? SHA1,
      ...(options.parameters === undefined ? {} : { parameters: options.parameters }),
    }),
    issuerNameHash: new OctetString(new Uint8Array(size).fill(1)),
    issuerKeyHash: new OctetString(new Uint8Array(size).fill(2)),
    serialNumber: Uint8Array.from(options.serial ?? [0x01, 0x02]).buffer,
  });
}

const nonceExtension = (value: Uint8Array, critical = false) =>
  new Extension({ extnID: ID_PKIX_OCSP_NONCE, critical, extnValue: new OctetString(value) });

/** DER of the OCTET STRING the nonce extension's value holds (RFC 8954 §2.1). */
const wrapped = (nonce: Uint8Array) => new Uint8Array(AsnConvert.serialize(new OctetString(nonce)));

/** An OCSPRequest through the @peculiar/asn1-ocsp schema. */
function schemaRequest(
  certIds: CertID[],
  options: { extensions?: Extension[]; version?: number } = {},
): Uint8Array {
  const tbsRequest = new TBSRequest({
    requestList: certIds.map((reqCert) => new Request({ reqCert })),
    ...(options.extensions === undefined ? {} : { requestExtensions: options.extensions }),
    ...(options.version === undefined ? {} : { version: options.version }),
  });
  return new Uint8Array(AsnConvert.serialize(new OCSPRequest({ tbsRequest })));
}

const certIdDer = () => new Uint8Array(AsnConvert.serialize(certId()));

function malformed(request: Uint8Array): string {
  try {
    parseOcspRequest(request);
  } catch (err) {
    expect(err).toBeInstanceOf(OcspRequestError);
    expect((err as OcspRequestError).name).toBe('OcspRequestError');
    expect((err as OcspRequestError).status).toBe('malformedRequest');
    return (err as Error).message;
  }
  throw new Error('parseOcspRequest accepted the request');
}

describe('parseOcspRequest: requests made by openssl', () => {
  it('reads SHA-1 CertIDs, serials without leading zeros, and the 16-octet nonce', () => {
    const der = opensslRequest('-serial', '0x01', '-serial', '0x80', '-serial', '0x7fff00');
    const request = parseOcspRequest(der);
    expect(request.certIds.map((id) => id.serial)).toEqual(['01', '80', '7fff00']);
    expect(request.certIds.every((id) => id.hashAlgorithm === 'SHA-1')).toBe(true);
    expect(request.nonce).toHaveLength(16);
    // The nonce and each CertID as the request carries them.
    const schema = AsnConvert.parse(der, OCSPRequest);
    const extension = schema.tbsRequest.requestExtensions?.[0];
    expect(Buffer.from(extension!.extnValue.buffer)).toEqual(Buffer.from(wrapped(request.nonce!)));
    schema.tbsRequest.requestList.forEach((entry, i) => {
      const id = request.certIds[i]!;
      expect(Buffer.from(id.der)).toEqual(Buffer.from(AsnConvert.serialize(entry.reqCert)));
      expect(Buffer.from(id.issuerNameHash)).toEqual(
        Buffer.from(entry.reqCert.issuerNameHash.buffer),
      );
      expect(Buffer.from(id.issuerKeyHash)).toEqual(
        Buffer.from(entry.reqCert.issuerKeyHash.buffer),
      );
    });
  });

  it.each([
    ['-sha256', 'SHA-256', 32],
    ['-sha384', 'SHA-384', 48],
    ['-sha512', 'SHA-512', 64],
  ] as const)('reads %s CertIDs without a nonce (-no_nonce)', (digest, algorithm, size) => {
    const request = parseOcspRequest(opensslRequest(digest, '-serial', '0x2a', '-no_nonce'));
    expect(request).not.toHaveProperty('nonce');
    expect(request.certIds).toHaveLength(1);
    expect(request.certIds[0]).toMatchObject({ hashAlgorithm: algorithm, serial: '2a' });
    expect(request.certIds[0]?.issuerNameHash).toHaveLength(size);
  });

  it('accepts a signed request and ignores its signature (RFC 6960 §4.1.2)', () => {
    const der = opensslRequest('-serial', '0x05', '-signer', 'ca.pem', '-signkey', 'ca.key');
    expect(AsnConvert.parse(der, OCSPRequest).optionalSignature).toBeDefined();
    const request = parseOcspRequest(der);
    expect(request.certIds.map((id) => id.serial)).toEqual(['05']);
    expect(request.nonce).toHaveLength(16);
  });
});

describe('parseOcspRequest: what the schemas build', () => {
  it(`accepts ${MAX_OCSP_REQUESTS} requests, NULL hash parameters and a requestorName`, () => {
    const ids = Array.from({ length: MAX_OCSP_REQUESTS }, () => certId({ parameters: null }));
    const tbsRequest = new TBSRequest({
      requestorName: new GeneralName({ dNSName: 'client.example' }),
      requestList: ids.map((reqCert) => new Request({ reqCert })),
    });
    const der = new Uint8Array(AsnConvert.serialize(new OCSPRequest({ tbsRequest })));
    expect(parseOcspRequest(der).certIds).toHaveLength(MAX_OCSP_REQUESTS);
  });

  it('reads a zero serial as 00 (serial.ts) and keeps nonces of 1 and 32 octets', () => {
    expect(parseOcspRequest(schemaRequest([certId({ serial: [0x00] })])).certIds[0]?.serial).toBe(
      '00',
    );
    for (const size of [1, 32]) {
      const nonce = new Uint8Array(size).fill(9);
      const der = schemaRequest([certId()], { extensions: [nonceExtension(wrapped(nonce))] });
      expect(parseOcspRequest(der).nonce).toEqual(nonce);
    }
  });

  it('ignores extensions it does not know unless they are critical (RFC 6960 §4.4)', () => {
    const other = (critical: boolean) =>
      new Extension({ extnID: '1.3.6.1.5.5.7.48.1.8', critical, extnValue: new OctetString(2) });
    expect(parseOcspRequest(schemaRequest([certId()], { extensions: [other(false)] }))).toEqual({
      certIds: [expect.objectContaining({ serial: '0102' })],
    });
    expect(malformed(schemaRequest([certId()], { extensions: [other(true)] }))).toBe(
      'critical extension 1.3.6.1.5.5.7.48.1.8 is not supported',
    );
    // A critical nonce is understood.
    const nonce = nonceExtension(wrapped(Uint8Array.of(1, 2, 3)), true);
    expect(parseOcspRequest(schemaRequest([certId()], { extensions: [nonce] })).nonce).toEqual(
      Uint8Array.of(1, 2, 3),
    );
  });

  it('reads singleRequestExtensions ([0] EXPLICIT, which asn1-ocsp 2.6.1 cannot encode)', () => {
    const extension = (critical: boolean) =>
      derSequence(
        derOid('1.3.6.1.5.5.7.48.1.7'),
        derBoolean(critical),
        derOctetString(new Uint8Array(2)),
      );
    const request = (critical: boolean) =>
      derSequence(
        derSequence(
          derSequence(derSequence(certIdDer(), der(0xa0, derSequence(extension(critical))))),
        ),
      );
    expect(parseOcspRequest(request(false)).certIds[0]?.serial).toBe('0102');
    expect(malformed(request(true))).toBe(
      'critical extension 1.3.6.1.5.5.7.48.1.7 is not supported',
    );
  });

  it('accepts version v1 written out, though DER leaves it out', () => {
    const v1 = der(0xa0, Uint8Array.of(0x02, 0x01, 0x00));
    const request = derSequence(derSequence(v1, derSequence(derSequence(certIdDer()))));
    expect(parseOcspRequest(request).certIds).toHaveLength(1);
  });
});

describe('parseOcspRequest: malformed requests', () => {
  it.each([
    ['garbage', Buffer.from('this is not an OCSP request'), 'OCSPRequest has the wrong type'],
    ['nothing', new Uint8Array(), 'OCSPRequest has the wrong type'],
    ['an empty SEQUENCE', Uint8Array.of(0x30, 0x00), 'tbsRequest is missing'],
    [
      'a truncated request',
      Uint8Array.of(0x30, 0x10, 0x30, 0x00),
      'the OCSPRequest is not valid DER',
    ],
    [
      'an indefinite length',
      Uint8Array.of(0x30, 0x80, 0x00, 0x00),
      'the OCSPRequest is not valid DER',
    ],
  ])('%s', (_, bytes, message) => {
    expect(malformed(new Uint8Array(bytes))).toBe(message);
  });

  it('trailing bytes after the request', () => {
    const der = schemaRequest([certId()]);
    expect(malformed(Buffer.concat([der, Buffer.of(0)]))).toBe('OCSPRequest has trailing bytes');
  });

  it(`zero requests, and more than ${MAX_OCSP_REQUESTS}`, () => {
    const message = `requestList must hold 1 to ${MAX_OCSP_REQUESTS} requests`;
    expect(malformed(schemaRequest([]))).toBe(message);
    const ids = Array.from({ length: MAX_OCSP_REQUESTS + 1 }, () => certId());
    expect(malformed(schemaRequest(ids))).toBe(message);
  });

  it('a hash algorithm other than SHA-1 and SHA-2 (MD5)', () => {
    expect(malformed(schemaRequest([certId({ algorithm: MD5, size: 16 })]))).toBe(
      `hash algorithm ${MD5} is not supported`,
    );
  });

  it('hash parameters other than NULL, and hashes of the wrong size', () => {
    const oid = AsnConvert.serialize(new AlgorithmIdentifier({ algorithm: SHA1 }));
    expect(malformed(schemaRequest([certId({ parameters: oid })]))).toBe(
      'hash algorithm parameters must be absent or NULL',
    );
    expect(malformed(schemaRequest([certId({ algorithm: SHA256, size: 20 })]))).toBe(
      'issuerNameHash and issuerKeyHash must be SHA-256 digests',
    );
  });

  it('negative, empty and oversized serials', () => {
    expect(malformed(schemaRequest([certId({ serial: [0x80, 0x01] })]))).toBe(
      'serialNumber must not be negative',
    );
    expect(malformed(schemaRequest([certId({ serial: [] })]))).toBe(
      'serialNumber must be 1 to 32 octets',
    );
    expect(malformed(schemaRequest([certId({ serial: new Array(33).fill(1) })]))).toBe(
      'serialNumber must be 1 to 32 octets',
    );
  });

  it('nonces of 0 and 40 octets, a bare nonce, and two nonces', () => {
    const request = (...extensions: Extension[]) => schemaRequest([certId()], { extensions });
    const message = 'the nonce must be 1 to 32 octets (RFC 8954)';
    expect(malformed(request(nonceExtension(wrapped(new Uint8Array(0)))))).toBe(message);
    expect(malformed(request(nonceExtension(wrapped(new Uint8Array(40)))))).toBe(message);
    // Some old clients put the random octets in extnValue without the inner OCTET STRING.
    expect(malformed(request(nonceExtension(new Uint8Array(16).fill(0xab))))).toBe(
      'the nonce must be an OCTET STRING',
    );
    expect(malformed(request(nonceExtension(Uint8Array.of(0x04, 0x01, 0x01, 0x00))))).toBe(
      'the nonce must be an OCTET STRING',
    );
    const once = nonceExtension(wrapped(Uint8Array.of(1)));
    expect(malformed(request(once, once))).toBe('the nonce extension appears more than once');
  });

  it('a version other than v1', () => {
    expect(malformed(schemaRequest([certId()], { version: 1 }))).toBe(
      'the request version must be v1',
    );
  });

  it('fields where there should be none, or of the wrong type', () => {
    const id = certIdDer();
    const one = Uint8Array.of(0x02, 0x01, 0x01);
    const cases: [Uint8Array, string][] = [
      [derSequence(derSequence(derSequence(derSequence(id))), one), 'OCSPRequest has extra fields'],
      [
        derSequence(derSequence(derSequence(derSequence(id)), der(0xa2, derSequence()), one)),
        'tbsRequest has extra fields',
      ],
      [
        derSequence(derSequence(derSequence(derSequence(id, der(0xa0, derSequence()), one)))),
        'Request has extra fields',
      ],
      [derSequence(derSequence(derSequence(derSequence()))), 'Request has no CertID'],
      [
        derSequence(
          derSequence(derSequence(derSequence(derSequence(...[...derChildrenOf(id), one])))),
        ),
        'CertID has extra fields',
      ],
      [
        derSequence(derSequence(derSequence(derSequence(id)), der(0xa2, derSequence(), one))),
        'extensions have extra fields',
      ],
      [derSequence(derSequence(derSequence(one))), 'Request has the wrong type'],
      [derSequence(derSequence(one)), 'requestList has the wrong type'],
      [derSequence(derSequence()), 'requestList is missing'],
    ];
    for (const [request, message] of cases) expect(malformed(request)).toBe(message);
  });
});

/** The children of a SEQUENCE, for the cases above that add one. */
function derChildrenOf(sequence: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 2; at < sequence.length;) {
    const length = sequence[at + 1]!;
    out.push(sequence.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  return out;
}

describe('decodeOcspGetPath (RFC 6960 Appendix A.1)', () => {
  it('round-trips the URL-encoded base64 of an openssl request', () => {
    const der = opensslRequest('-serial', '0x1234');
    const base64 = Buffer.from(der).toString('base64');
    expect(decodeOcspGetPath(encodeURIComponent(base64))).toEqual(der);
    expect(decodeOcspGetPath(base64)).toEqual(der);
    expect(parseOcspRequest(decodeOcspGetPath(encodeURIComponent(base64))).certIds[0]?.serial).toBe(
      '1234',
    );
  });

  it("reads '+', '/' and '=' percent-encoded (either case) or not, padded or not", () => {
    const bytes = Uint8Array.of(0xfb, 0xff); // base64 '+/8='
    for (const path of ['+/8=', '%2B%2F8%3D', '%2b%2f8%3d', '+%2F8', '+/8']) {
      expect(decodeOcspGetPath(path)).toEqual(bytes);
    }
  });

  it.each(['', '%zz', '!!!!', 'A', 'QQ=', 'AB=C', 'QUJD====', 'QU JD'])(
    "refuses '%s' as malformedRequest",
    (path) => {
      expect(() => decodeOcspGetPath(path)).toThrow(OcspRequestError);
      try {
        decodeOcspGetPath(path);
      } catch (err) {
        expect((err as OcspRequestError).status).toBe('malformedRequest');
      }
    },
  );
});
