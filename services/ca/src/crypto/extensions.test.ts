// Names and extensions byte for byte: RFC 4514 strings, RFC 5280 string types, and the DER of
// each extension the CA writes (openssl reads them in issue-certificate.test.ts).
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isCaError } from '../domain/ca-error.js';
import {
  authorityInfoAccessExtension,
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  crlDistributionPointsExtension,
  extendedKeyUsageExtension,
  generalNames,
  ipAddressBytes,
  ipAddressText,
  keyIdentifier,
  keyUsageExtension,
  ocspNoCheckExtension,
  subjectAltNameExtension,
  subjectKeyIdentifierExtension,
} from './extensions.js';
import {
  attributeType,
  encodeName,
  nameAttributes,
  nameToString,
  parseDn,
} from './distinguished-name.js';
import { der, derOctetString, derOid, derSequence, derSet } from './pem.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const noSans = { dns: [], ip: [], email: [], uri: [] };

function caError(run: () => unknown, code: string): string {
  try {
    run();
  } catch (err) {
    expect(isCaError(err, code as never)).toBe(true);
    return (err as Error).message;
  }
  throw new Error('no error was thrown');
}

describe('attribute types', () => {
  it.each([
    ['cn', 'CN'],
    ['emailAddress', 'E'],
    ['dc', 'DC'],
    ['2.5.4.3', 'CN'],
    ['1.2.3.4', '1.2.3.4'],
  ])('reads %s as %s', (type, name) => {
    expect(attributeType(type)).toBe(name);
  });

  it.each(['foo', '1.2.', '3.1', ''])('refuses %j', (type) => {
    expect(caError(() => attributeType(type), 'invalid-request')).toBe(
      `unknown name attribute type ${type}`,
    );
  });
});

describe('parseDn (RFC 4514)', () => {
  it('returns RDNSequence order: the string starts with the last RDN (§2.1)', () => {
    expect(parseDn('CN=Example Root CA, O=Example')).toEqual([
      { type: 'O', value: 'Example' },
      { type: 'CN', value: 'Example Root CA' },
    ]);
  });

  it.each([
    ['CN=a\\,b', 'a,b'],
    ['CN=x\\2Cy', 'x,y'],
    ['CN=caf\\C3\\A9', 'café'],
    ['CN=\\ lead and trail\\ ', ' lead and trail '],
    ['CN =  spaced out  ', 'spaced out'],
    ['CN=\\#hash\\+plus\\;\\"\\<\\>\\=\\\\', '#hash+plus;"<>=\\'],
    ['CN=a=b', 'a=b'],
    ['CN=𝄞 clef', '𝄞 clef'],
  ])('reads %j', (text, value) => {
    expect(parseDn(text)).toEqual([{ type: 'CN', value }]);
  });

  it('reads an empty string as the empty name', () => {
    expect(parseDn('')).toEqual([]);
    expect(parseDn('   ')).toEqual([]);
  });

  it.each([
    ['CN', 'distinguished name: expected type=value'],
    ['CN=a,', 'distinguished name: expected type=value'],
    ['CN=a+O=b', 'distinguished name: multi-valued RDNs are not supported'],
    ['CN=#0403616263', 'distinguished name: #hex values are not supported'],
    ['CN=a\\q', 'distinguished name: bad escape'],
    ['CN=a\\', 'distinguished name: bad escape'],
    ['XX=a', 'unknown name attribute type XX'],
  ])('refuses %j', (text, message) => {
    expect(caError(() => parseDn(text), 'invalid-request')).toBe(message);
  });
});

describe('encodeName / nameAttributes / nameToString', () => {
  it('uses PrintableString for C, IA5String for E and DC, UTF8String otherwise (RFC 5280 §4.1.2.4)', () => {
    const name = encodeName([
      { type: 'C', value: 'US' },
      { type: 'DC', value: 'example' },
      { type: 'CN', value: 'é' },
      { type: 'E', value: 'a@b' },
    ]);
    expect(hex(name)).toBe(
      '3047' +
        '310b3009060355040613025553' +
        '31173015060a0992268993f22c6401191607' + hex(Buffer.from('example')) +
        '310b300906035504030c02c3a9' +
        '3112301006092a864886f70d010901160361' + hex(Buffer.from('@b')),
    ); // prettier-ignore
    expect(nameAttributes(name)).toEqual([
      { type: 'C', value: 'US' },
      { type: 'DC', value: 'example' },
      { type: 'CN', value: 'é' },
      { type: 'E', value: 'a@b' },
    ]);
    expect(nameToString(name)).toBe('E=a@b,CN=é,DC=example,C=US');
  });

  it('round-trips RFC 4514 specials through the string form (§2.4)', () => {
    const value = ' #a,b+c"d\\e<f>g;h ';
    const text = nameToString(encodeName([{ type: 'O', value }]));
    expect(text).toBe('O=\\ #a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h\\ ');
    expect(parseDn(text)).toEqual([{ type: 'O', value }]);
    expect(nameToString(encodeName([{ type: 'O', value: '#x\0' }]))).toBe('O=\\#x\\00');
  });

  it.each([
    [{ type: 'C', value: 'USA' }, 'name attribute C is not a valid value'],
    [{ type: 'C', value: 'U$' }, 'name attribute C is not a valid value'],
    [{ type: 'serialNumber', value: 'a_b' }, 'name attribute serialNumber is not a valid value'],
    [{ type: 'E', value: 'ü@x' }, 'name attribute E is not ASCII'],
    [{ type: 'CN', value: '' }, 'name attribute CN is empty'],
  ])('refuses %j', (attribute, message) => {
    expect(caError(() => encodeName([attribute]), 'name-not-allowed')).toBe(message);
  });

  it('decodes BMPString, UniversalString and TeletexString, and shows other values as #hex', () => {
    const atv = (oid: string, value: Uint8Array): Uint8Array => derSequence(derOid(oid), value);
    const name = derSequence(
      derSet(atv('2.5.4.3', der(0x1e, Uint8Array.of(0, 0x41, 0, 0xe9)))),
      derSet(atv('2.5.4.10', der(0x1c, Uint8Array.of(0, 1, 0xd1, 0x1e))), atv('2.5.4.11', der(0x14, Uint8Array.of(0xe9)))),
      derSet(atv('1.2.3.4', derOctetString(Uint8Array.of(1)))),
    ); // prettier-ignore
    expect(nameToString(name)).toBe('1.2.3.4=#040101,OU=é+O=𝄞,CN=Aé');
    expect(caError(() => nameAttributes(name), 'name-not-allowed')).toBe(
      'name attribute 1.2.3.4 is not a string',
    );
    expect(() => nameToString(derSequence(derSet(derSequence(derOid('2.5.4.3')))))).toThrow(
      'DER: bad name attribute',
    );
  });
});

describe('extensions (RFC 5280 §4.2)', () => {
  it('basicConstraints: critical, cA omitted when FALSE (X.690 §11.5), pathLen when given', () => {
    expect(hex(basicConstraintsExtension(false))).toBe('300c0603551d130101ff04023000');
    expect(hex(basicConstraintsExtension(false, 3))).toBe('300c0603551d130101ff04023000');
    expect(hex(basicConstraintsExtension(true))).toBe('300f0603551d130101ff040530030101ff');
    expect(hex(basicConstraintsExtension(true, 0))).toBe(
      '30120603551d130101ff040830060101ff020100',
    );
  });

  it.each([
    [['digitalSignature'], true, '300e0603551d0f0101ff040403020780'],
    [['digitalSignature', 'keyCertSign', 'cRLSign'], true, '300e0603551d0f0101ff040403020186'],
    [['keyEncipherment'], false, '300b0603551d0f040403020520'],
    [['decipherOnly'], true, '300f0603551d0f0101ff0405030307' + '0080'],
  ] as const)(
    'keyUsage %j (named bits without trailing zeros, X.690 §11.2.2)',
    (usages, critical, encoded) => {
      expect(hex(keyUsageExtension(usages, critical))).toBe(encoded);
    },
  );

  it('keyUsage refuses an empty list (RFC 5280 §4.2.1.3)', () => {
    expect(() => keyUsageExtension([], true)).toThrow(TypeError);
  });

  it('extendedKeyUsage lists the purposes, critical on request', () => {
    expect(hex(extendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'], false))).toBe(
      '301d0603551d250416301406082b0601050507030106082b06010505070302',
    );
    expect(hex(extendedKeyUsageExtension(['1.3.6.1.5.5.7.3.9'], true)).slice(0, 22)).toBe(
      '30160603551d250101ff04',
    );
  });

  it('subjectAltName: dNSName [2], iPAddress [7], rfc822Name [1], URI [6]', () => {
    const san = { dns: ['a.example'], ip: ['10.0.0.1'], email: ['x@y'], uri: ['https://u/'] };
    expect(hex(generalNames(san))).toBe(
      '3022' + '8209' + hex(Buffer.from('a.example')) + '87040a000001' +
        '8103' + hex(Buffer.from('x@y')) + '860a' + hex(Buffer.from('https://u/')),
    ); // prettier-ignore
    expect(hex(subjectAltNameExtension(san, true)).slice(0, 20)).toBe('302e0603551d110101ff');
    expect(hex(subjectAltNameExtension(noSans, false))).toBe('30090603551d1104023000');
  });

  it.each([
    [
      { ...noSans, dns: ['bücher.example'] },
      'SAN DNS name "bücher.example" is not printable ASCII',
    ],
    [{ ...noSans, email: [''] }, 'SAN email "" is not printable ASCII'],
    [{ ...noSans, ip: ['1.2.3'] }, 'SAN IP address 1.2.3 is not an IP address'],
    [{ ...noSans, ip: ['fe80::1%eth0'] }, 'SAN IP address fe80::1%eth0 is not an IP address'],
  ])('subjectAltName refuses %j', (san, message) => {
    expect(caError(() => generalNames(san), 'name-not-allowed')).toBe(message);
  });

  it.each([
    ['127.0.0.1', '7f000001', '127.0.0.1'],
    ['::1', '00000000000000000000000000000001', '0:0:0:0:0:0:0:1'],
    ['2001:db8::1', '20010db8000000000000000000000001', '2001:DB8:0:0:0:0:0:1'],
    ['1::', '00010000000000000000000000000000', '1:0:0:0:0:0:0:0'],
    ['::ffff:10.0.0.1', '00000000000000000000ffff0a000001', '0:0:0:0:0:FFFF:A00:1'],
    ['fe80:0:0:0:0:0:0:abcd', 'fe80000000000000000000000000abcd', 'FE80:0:0:0:0:0:0:ABCD'],
  ])('iPAddress %s ⇄ octets, shown as openssl prints it', (text, octets, shown) => {
    expect(hex(ipAddressBytes(text))).toBe(octets);
    expect(ipAddressText(ipAddressBytes(text))).toBe(shown);
  });

  it('iPAddress of neither 4 nor 16 octets is malformed', () => {
    expect(() => ipAddressText(new Uint8Array(5))).toThrow(TypeError);
  });

  it('keyIdentifier is RFC 7093 §2 method 1: SHA-256 of the public key bits, 160 bits', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const jwk = publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([
      Buffer.of(4),
      Buffer.from(jwk.x ?? '', 'base64url'),
      Buffer.from(jwk.y ?? '', 'base64url'),
    ]);
    const expected = createHash('sha256').update(point).digest().subarray(0, 20);
    expect(hex(keyIdentifier(spki))).toBe(expected.toString('hex'));
    expect(() => keyIdentifier(derSequence(derSequence()))).toThrow(TypeError);
  });

  it('SKI, AKI (keyIdentifier [0] only), AIA, CRLDP and ocsp-nocheck', () => {
    const id = Uint8Array.of(1, 2);
    expect(hex(subjectKeyIdentifierExtension(id))).toBe('300b0603551d0e040404020102');
    expect(hex(authorityKeyIdentifierExtension(id))).toBe('300d0603551d23040630048002' + '0102');
    expect(authorityInfoAccessExtension({})).toBeUndefined();
    expect(hex(authorityInfoAccessExtension({ ocspUrl: 'http://o' })!)).toBe(
      '3024' + '06082b06010505070101' + '0418' + '3016' +
        '3014' + '06082b06010505073001' + '8608' + hex(Buffer.from('http://o')),
    ); // prettier-ignore
    const both = authorityInfoAccessExtension({ ocspUrl: 'http://o', caIssuersUrl: 'http://i' })!;
    expect(hex(both)).toContain(
      '3014' + '06082b06010505073002' + '8608' + hex(Buffer.from('http://i')),
    );
    expect(hex(crlDistributionPointsExtension('http://c'))).toBe(
      '3019' + '0603551d1f' + '0412' + '3010' + '300e' + 'a00c' + 'a00a' + '8608' +
        hex(Buffer.from('http://c')),
    ); // prettier-ignore
    expect(hex(ocspNoCheckExtension())).toBe('300f' + '06092b0601050507300105' + '04020500');
  });
});
