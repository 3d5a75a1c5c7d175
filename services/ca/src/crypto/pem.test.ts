// PEM framing and the DER reads and writes: exact bytes against X.690 examples and openssl.
import { describe, expect, it } from 'vitest';
import { isCaError } from '../domain/ca-error.js';
import {
  certificateFields,
  decodeOid,
  der,
  derBitString,
  derBoolean,
  derChildren,
  derContent,
  derIa5,
  derNull,
  derOctetString,
  derOid,
  derPrintable,
  derSequence,
  derSet,
  derSmallInteger,
  derTime,
  derUtf8,
  extensionFields,
  fromPem,
  pemBlocks,
  readDer,
  readDerTime,
  toPem,
} from './pem.js';
import { opensslOk } from './testing/openssl.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

function caError(run: () => unknown, code: string): string {
  try {
    run();
  } catch (err) {
    expect(isCaError(err)).toBe(true);
    expect((err as { code: string }).code).toBe(code);
    return (err as Error).message;
  }
  throw new Error('no error was thrown');
}

describe('toPem / fromPem / pemBlocks', () => {
  const data = new Uint8Array(100).map((_, i) => i);

  it('writes 64-character lines between the label lines (RFC 7468 §2)', () => {
    const pem = toPem(data, 'CERTIFICATE');
    const lines = pem.split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines[1]).toHaveLength(64);
    expect(lines[2]).toHaveLength(64);
    expect(lines[3]).toHaveLength(136 - 128);
    expect(lines[4]).toBe('-----END CERTIFICATE-----');
    expect(lines[5]).toBe('');
    expect(hex(fromPem(pem, 'CERTIFICATE'))).toBe(hex(data));
  });

  it('reads CRLF text, surrounding text and the right label', () => {
    const text = `junk\r\n${toPem(Uint8Array.of(1), 'X').replace(/\n/g, '\r\n')}${toPem(Uint8Array.of(2), 'Y')}`;
    expect(hex(fromPem(text, 'Y'))).toBe('02');
    expect(hex(fromPem(text, 'X'))).toBe('01');
  });

  it('returns every block of a chain in order', () => {
    const chain =
      toPem(Uint8Array.of(1), 'CERTIFICATE') + toPem(Uint8Array.of(2, 3), 'CERTIFICATE');
    expect(pemBlocks(chain, 'CERTIFICATE').map(hex)).toEqual(['01', '0203']);
    expect(pemBlocks(chain, 'X509 CRL')).toEqual([]);
  });

  it('names the missing label', () => {
    expect(caError(() => fromPem('nothing here', 'CERTIFICATE REQUEST'), 'invalid-request')).toBe(
      'no PEM CERTIFICATE REQUEST block found',
    );
  });

  it.each([
    ['characters outside base64', 'MII*AAAA'],
    ['a length that is not a multiple of 4', 'AAAAA'],
    ['padding in the middle', 'AA==AAAA'],
    ['an empty body', ''],
  ])('refuses %s', (_, body) => {
    const text = `-----BEGIN X-----\n${body}\n-----END X-----\n`;
    expect(caError(() => fromPem(text, 'X'), 'invalid-request')).toBe(
      'the PEM X block holds invalid base64',
    );
  });
});

describe('DER reads', () => {
  it('reads short and long lengths', () => {
    expect(readDer(bytes('0403010203'))).toEqual({ tag: 4, start: 0, contentStart: 2, end: 5 });
    const long = der(0x04, new Uint8Array(300));
    expect(hex(long.subarray(0, 4))).toBe('0482012c');
    expect(readDer(long)).toEqual({ tag: 4, start: 0, contentStart: 4, end: 304 });
  });

  it.each([
    ['an empty input', '', 'DER: truncated element or multi-octet tag'],
    ['a multi-octet tag', '1f8101', 'DER: truncated element or multi-octet tag'],
    ['an indefinite length', '3080', 'DER: indefinite or oversized length'],
    ['a five-octet length', '3085010000000000', 'DER: indefinite or oversized length'],
    ['a length beyond the input', '300501', 'DER: length beyond input'],
    ['a truncated long length', '3082', 'DER: length beyond input'],
  ])('refuses %s with a TypeError', (_, input, message) => {
    expect(() => readDer(bytes(input))).toThrow(new TypeError(message));
  });

  it('lists children and refuses one overrunning its parent', () => {
    const seq = derSequence(derNull(), derBoolean(true));
    expect(derChildren(seq).map(hex)).toEqual(['0500', '0101ff']);
    expect(() => derChildren(bytes('3003040201ff'))).toThrow('DER: child overruns its parent');
    expect(hex(derContent(bytes('04020102')))).toBe('0102');
  });

  it.each([
    ['2.5.4.3', '0603550403'],
    ['1.2.840.113549.1.9.14', '06092a864886f70d01090e'],
    ['2.999.3', '0603883703'],
    ['0.9.2342.19200300.100.1.25', '060a0992268993f22c640119'],
  ])('encodes and decodes OID %s (X.690 §8.19)', (oid, encoded) => {
    expect(hex(derOid(oid))).toBe(encoded);
    expect(decodeOid(derContent(bytes(encoded)))).toBe(oid);
  });
});

describe('DER writes', () => {
  it('encodes the primitive types', () => {
    expect(hex(derBoolean(false))).toBe('010100');
    expect(hex(derOctetString(Uint8Array.of(1)))).toBe('040101');
    expect(hex(derBitString(Uint8Array.of(0x80), 7))).toBe('03020780');
    expect(hex(derUtf8('é'))).toBe('0c02c3a9');
    expect(hex(derIa5('a'))).toBe('160161');
    expect(hex(derPrintable('US'))).toBe('13025553');
    expect(hex(derSet(derNull()))).toBe('31020500');
  });

  it.each([
    [0, '020100'],
    [127, '02017f'],
    [128, '02020080'],
    [256, '02020100'],
  ])('encodes INTEGER %i minimally', (value, encoded) => {
    expect(hex(derSmallInteger(value))).toBe(encoded);
  });

  it('writes UTCTime through 2049 and GeneralizedTime from 2050, without fractions (RFC 5280 §4.1.2.5)', () => {
    const utc = derTime(new Date('2049-12-31T23:59:59.999Z'));
    expect(Buffer.from(derContent(utc)).toString()).toBe('491231235959Z');
    expect(utc[0]).toBe(0x17);
    const general = derTime(new Date('2050-01-01T00:00:00Z'));
    expect(Buffer.from(derContent(general)).toString()).toBe('20500101000000Z');
    expect(general[0]).toBe(0x18);
    expect(readDerTime(utc).toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(readDerTime(general).toISOString()).toBe('2050-01-01T00:00:00.000Z');
    expect(readDerTime(der(0x17, Buffer.from('700101000000Z'))).toISOString()).toBe(
      '1970-01-01T00:00:00.000Z',
    );
    expect(() => readDerTime(der(0x17, Buffer.from('7001010000Z')))).toThrow(
      'DER: unsupported time 7001010000Z',
    );
  });
});

describe('certificateFields / extensionFields', () => {
  it('reads an openssl certificate field by field', () => {
    const made = opensslOk([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', 'k.pem', '-subj', '/CN=Fields', '-days', '2', '-set_serial', '0x0102',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-outform', 'DER', '-out', 'c.der',
    ]); // prettier-ignore
    const cert = made.files['c.der']!;
    const fields = certificateFields(cert);
    expect(hex(fields.serial)).toBe('0102');
    expect(hex(fields.subject)).toBe(hex(fields.issuer));
    expect(fields.notAfter.getTime() - fields.notBefore.getTime()).toBe(2 * 86_400_000);
    const pub = opensslOk(['pkey', '-in', 'k.pem', '-pubout', '-outform', 'DER', '-out', 'p.der'], {
      'k.pem': made.files['k.pem']!,
    });
    expect(hex(fields.spki)).toBe(hex(pub.files['p.der']!));
    const bc = fields.extensions.find((e) => e.oid === '2.5.29.19');
    expect(bc).toEqual({ oid: '2.5.29.19', critical: true, value: bytes('30030101ff') });
  });

  it('refuses what is not a certificate', () => {
    expect(() => certificateFields(derSequence())).toThrow('DER: not a certificate');
    expect(() => certificateFields(derSequence(derSequence(derNull())))).toThrow(
      'DER: not a certificate',
    );
    const partial = derSequence(derSequence(derNull(), derNull(), derNull(), derNull(), derNull()));
    expect(() => certificateFields(partial)).toThrow('DER: not a certificate');
    const noValidity = derSequence(
      derSequence(derNull(), derNull(), derNull(), derSequence(), derNull(), derNull()),
    );
    expect(() => certificateFields(noValidity)).toThrow('DER: no validity');
  });

  it('reads non-critical extensions and refuses malformed ones', () => {
    const ext = derSequence(derOid('2.5.29.14'), derOctetString(bytes('0401aa')));
    expect(extensionFields(ext)).toEqual({
      oid: '2.5.29.14',
      critical: false,
      value: bytes('0401aa'),
    });
    const explicitFalse = derSequence(
      derOid('2.5.29.14'),
      derBoolean(false),
      derOctetString(bytes('00')),
    );
    expect(extensionFields(explicitFalse).critical).toBe(false);
    expect(() => extensionFields(derSequence(derNull()))).toThrow(
      'DER: extension without an identifier',
    );
    expect(() => extensionFields(derSequence(derOid('2.5.29.14')))).toThrow(
      'DER: extension without a value',
    );
  });
});
