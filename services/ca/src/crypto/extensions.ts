// The parts of a certificate around its key: distinguished names (RFC 5280 §4.1.2.4, written and
// read as RFC 4514 strings or as NameAttribute lists) and the v3 extensions the CA issues
// (RFC 5280 §4.2), each built as the DER of one Extension.
import { SUBJECT_ATTRIBUTE_OIDS } from '../domain/profile.js';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { CaError } from '../domain/ca-error.js';
import {
  KEY_USAGES,
  type KeyUsageName,
  type NameAttribute,
  type SubjectAltNames,
} from '../domain/certificate-request.js';
import {
  decodeOid,
  der,
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
  derUtf8,
} from './pem.js';

export const OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlDistributionPoints: '2.5.29.31',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const;

// ---- names ----

/** Short names of attribute types (RFC 4514 §3, RFC 4519, and the ones openssl prints). */
const NAME_OIDS: Readonly<Record<string, string>> = SUBJECT_ATTRIBUTE_OIDS;
const NAME_TYPES = new Map(Object.entries(NAME_OIDS).map(([name, oid]) => [oid, name]));
const TYPE_BY_LOWER = new Map(Object.keys(NAME_OIDS).map((name) => [name.toLowerCase(), name]));
TYPE_BY_LOWER.set('emailaddress', 'E');

// RFC 5280 Appendix A: PrintableString for these; IA5String for email and DC (RFC 4519 §2.4);
// UTF8String for everything else (RFC 5280 §4.1.2.4).
const PRINTABLE = new Set(['C', 'serialNumber', 'dnQualifier', 'jurisdictionC']);
const IA5 = new Set(['E', 'DC']);
const PRINTABLE_CHARS = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const ASCII = /^[\x20-\x7e]*$/;

/** The canonical short name of an attribute type (any case), or a dotted OID as given. */
export function attributeType(type: string): string {
  const known = TYPE_BY_LOWER.get(type.toLowerCase());
  if (known !== undefined) return known;
  if (/^[0-2](\.(0|[1-9]\d*))+$/.test(type)) return NAME_TYPES.get(type) ?? type;
  throw new CaError('invalid-request', `unknown name attribute type ${type}`);
}

function attributeValue(type: string, value: string): Uint8Array {
  if (value === '') throw new CaError('name-not-allowed', `name attribute ${type} is empty`);
  if (PRINTABLE.has(type)) {
    if (!PRINTABLE_CHARS.test(value) || (type.endsWith('C') && value.length !== 2)) {
      throw new CaError('name-not-allowed', `name attribute ${type} is not a valid value`);
    }
    return derPrintable(value);
  }
  if (IA5.has(type)) {
    if (!ASCII.test(value))
      throw new CaError('name-not-allowed', `name attribute ${type} is not ASCII`);
    return derIa5(value);
  }
  return derUtf8(value);
}

/** The DER Name of attributes in RDNSequence order, one attribute per RDN. */
export function encodeName(attributes: readonly NameAttribute[]): Uint8Array {
  return derSequence(
    ...attributes.map(({ type, value }) => {
      const name = attributeType(type);
      const oid = NAME_OIDS[name] ?? name;
      return derSet(derSequence(derOid(oid), attributeValue(name, value)));
    }),
  );
}

const STRING_DECODERS: Readonly<Record<number, (bytes: Buffer) => string>> = {
  0x0c: (b) => b.toString('utf8'),
  0x13: (b) => b.toString('latin1'),
  0x14: (b) => b.toString('latin1'), // TeletexString, read as Latin-1 as openssl does
  0x16: (b) => b.toString('latin1'),
  0x1e: (b) => Buffer.from(b).swap16().toString('utf16le'), // BMPString: UCS-2 big-endian
  0x1c: (b) =>
    String.fromCodePoint(...Array.from({ length: b.length / 4 }, (_, i) => b.readUInt32BE(i * 4))),
};

/** A Name as RDNs of attributes, text values decoded; `#hex` (RFC 4514 §2.4) for any other. */
function readName(name: Uint8Array): { type: string; value: string; text: boolean }[][] {
  return derChildren(name).map((rdn) =>
    derChildren(rdn).map((atv) => {
      const [oid, value] = derChildren(atv);
      if (oid?.[0] !== 0x06 || value === undefined) throw new TypeError('DER: bad name attribute');
      const dotted = decodeOid(derContent(oid));
      const decode = STRING_DECODERS[value[0] ?? 0];
      const type = NAME_TYPES.get(dotted) ?? dotted;
      return decode === undefined
        ? { type, value: `#${Buffer.from(value).toString('hex')}`, text: false }
        : { type, value: decode(Buffer.from(derContent(value))), text: true };
    }),
  );
}

/** A DER Name as NameAttribute list (RDNSequence order; multi-valued RDNs flattened). */
export function nameAttributes(name: Uint8Array): NameAttribute[] {
  return readName(name)
    .flat()
    .map(({ type, value, text }) => {
      if (!text) throw new CaError('name-not-allowed', `name attribute ${type} is not a string`);
      return { type, value };
    });
}

function escapeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;]/g, (c) => `\\${c}`)
    .replace(/\0/g, '\\00')
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

/**
 * A DER Name as an RFC 4514 string: the last RDN first, `+` inside multi-valued RDNs (whose
 * members are also listed last first, as `openssl -nameopt RFC2253` does). Non-ASCII characters
 * are written as they are, not `\XX`-escaped.
 */
export function nameToString(name: Uint8Array): string {
  return readName(name)
    .reverse()
    .map((rdn) =>
      rdn
        .reverse()
        .map(({ type, value, text }) => `${type}=${text ? escapeValue(value) : value}`)
        .join('+'),
    )
    .join(',');
}

/**
 * Parses an RFC 4514 string (`CN=Example Root CA, O=Example`) to NameAttributes in RDNSequence
 * order, i.e. reversed (RFC 4514 §2.1: the string starts with the last RDN). Spaces around `,`
 * and `=` are ignored; values escape specials with `\` or `\XX` hex (§2.4). Multi-valued RDNs
 * and `#hex` values are not accepted.
 */
export function parseDn(text: string): NameAttribute[] {
  const fail = (why: string): CaError =>
    new CaError('invalid-request', `distinguished name: ${why}`);
  const attributes: NameAttribute[] = [];
  let i = 0;
  while (text.trim() !== '' && i <= text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw fail('expected type=value');
    const type = attributeType(text.slice(i, eq).trim());
    const bytes: number[] = [];
    let trailing = 0;
    for (i = eq + 1; i < text.length && text[i] === ' '; i++);
    if (text[i] === '#') throw fail('#hex values are not supported');
    for (; i < text.length && text[i] !== ','; i++) {
      const c = String.fromCodePoint(text.codePointAt(i) ?? 0);
      i += c.length - 1; // a character outside the BMP takes two UTF-16 units
      if (c === '+') throw fail('multi-valued RDNs are not supported');
      trailing = c === ' ' ? trailing + 1 : 0;
      if (c !== '\\') {
        bytes.push(...Buffer.from(c, 'utf8'));
        continue;
      }
      const hex = /^[0-9a-fA-F]{2}/.exec(text.slice(i + 1, i + 3))?.[0];
      const next = text[i + 1] ?? '';
      if (hex === undefined && (next === '' || !' "#+,;<=>\\'.includes(next))) {
        throw fail('bad escape');
      }
      bytes.push(...(hex === undefined ? Buffer.from(next, 'utf8') : [parseInt(hex, 16)]));
      i += hex === undefined ? 1 : 2;
    }
    attributes.push({
      type,
      value: Buffer.from(bytes.slice(0, bytes.length - trailing)).toString('utf8'),
    });
    i++;
  }
  return attributes.reverse();
}

// ---- extensions (RFC 5280 §4.2) ----

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical
    ? derSequence(derOid(oid), derBoolean(true), derOctetString(value))
    : derSequence(derOid(oid), derOctetString(value));
}

/** RFC 5280 §4.2.1.9: critical; cA TRUE with an optional pathLenConstraint, or the empty SEQUENCE. */
export function basicConstraintsExtension(ca: boolean, pathLength?: number): Uint8Array {
  const fields = ca
    ? [derBoolean(true), ...(pathLength === undefined ? [] : [derSmallInteger(pathLength)])]
    : []; // cA DEFAULT FALSE is omitted in DER (X.690 §11.5)
  return extension(OID.basicConstraints, true, derSequence(...fields));
}

/** RFC 5280 §4.2.1.3: a named-bit BIT STRING without trailing zero bits (X.690 §11.2.2). */
export function keyUsageExtension(usages: readonly KeyUsageName[], critical: boolean): Uint8Array {
  const bits = usages.map((usage) => KEY_USAGES.indexOf(usage));
  if (bits.length === 0) throw new TypeError('keyUsage needs at least one bit (RFC 5280 §4.2.1.3)');
  const last = Math.max(...bits);
  const octets = new Uint8Array(Math.floor(last / 8) + 1);
  for (const bit of bits) octets[bit >> 3] = (octets[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  const unused = octets.length * 8 - (last + 1);
  return extension(OID.keyUsage, critical, der(0x03, Uint8Array.of(unused), octets));
}

/** RFC 5280 §4.2.1.12: the key purposes, in the order given. */
export function extendedKeyUsageExtension(
  purposes: readonly string[],
  critical: boolean,
): Uint8Array {
  return extension(OID.extKeyUsage, critical, derSequence(...purposes.map(derOid)));
}

/** The iPAddress octets of IPv4 dotted or IPv6 text (RFC 5280 §4.2.1.6: 4 or 16 octets). */
export function ipAddressBytes(text: string): Uint8Array {
  const version = isIP(text);
  if (version === 4) return Uint8Array.from(text.split('.').map(Number));
  if (version !== 6 || text.includes('%')) {
    throw new CaError('name-not-allowed', `SAN IP address ${text} is not an IP address`);
  }
  let address = text;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  if (v4 !== undefined) {
    const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
    address = `${address.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return Uint8Array.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/** IP octets as openssl prints them: IPv4 dotted, IPv6 as eight uppercase hex groups. */
export function ipAddressText(octets: Uint8Array): string {
  if (octets.length === 4) return octets.join('.');
  if (octets.length !== 16) throw new TypeError('DER: iPAddress of neither 4 nor 16 octets');
  const groups = Array.from(
    { length: 8 },
    (_, i) => ((octets[2 * i] ?? 0) << 8) | (octets[2 * i + 1] ?? 0),
  );
  return groups.map((g) => g.toString(16).toUpperCase()).join(':');
}

function ia5(kind: string, value: string): Uint8Array {
  // RFC 5280 §4.2.1.6: dNSName, rfc822Name and URI are IA5String (IDNs as A-labels, RFC 5890).
  if (value === '' || !ASCII.test(value)) {
    throw new CaError(
      'name-not-allowed',
      `SAN ${kind} ${JSON.stringify(value)} is not printable ASCII`,
    );
  }
  return Buffer.from(value, 'latin1');
}

/** The GeneralNames of SANs: rfc822Name [1], dNSName [2], URI [6], iPAddress [7]. */
export function generalNames(san: SubjectAltNames): Uint8Array {
  return derSequence(
    ...san.dns.map((name) => der(0x82, ia5('DNS name', name))),
    ...san.ip.map((ip) => der(0x87, ipAddressBytes(ip))),
    ...san.email.map((email) => der(0x81, ia5('email', email))),
    ...san.uri.map((uri) => der(0x86, ia5('URI', uri))),
  );
}

/** RFC 5280 §4.2.1.6; critical when the subject is empty. */
export function subjectAltNameExtension(san: SubjectAltNames, critical: boolean): Uint8Array {
  return extension(OID.subjectAltName, critical, generalNames(san));
}

/**
 * The key identifier of a SubjectPublicKeyInfo: RFC 7093 §2 method 1, the leftmost 160 bits of
 * the SHA-256 hash of the subjectPublicKey BIT STRING value (without tag, length and the
 * unused-bits octet). RFC 5280 §4.2.1.2 allows any method; this one avoids SHA-1 (FIPS 140-3
 * policy) and keeps the 20-octet size relying parties expect.
 */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  const bits = derChildren(spki)[1];
  if (bits?.[0] !== 0x03) throw new TypeError('DER: SubjectPublicKeyInfo without a key');
  const key = derContent(bits).subarray(1);
  return new Uint8Array(createHash('sha256').update(key).digest().subarray(0, 20));
}

/** RFC 5280 §4.2.1.2: non-critical. */
export function subjectKeyIdentifierExtension(keyId: Uint8Array): Uint8Array {
  return extension(OID.subjectKeyIdentifier, false, derOctetString(keyId));
}

/** RFC 5280 §4.2.1.1: non-critical, keyIdentifier [0] only. */
export function authorityKeyIdentifierExtension(keyId: Uint8Array): Uint8Array {
  return extension(OID.authorityKeyIdentifier, false, derSequence(der(0x80, keyId)));
}

/** RFC 5280 §4.2.2.1: id-ad-ocsp and id-ad-caIssuers URIs; undefined when neither is given. */
export function authorityInfoAccessExtension(urls: {
  readonly ocspUrl?: string;
  readonly caIssuersUrl?: string;
}): Uint8Array | undefined {
  const access = (method: string, url: string): Uint8Array =>
    derSequence(derOid(method), der(0x86, ia5('URI', url)));
  const descriptions = [
    ...(urls.ocspUrl === undefined ? [] : [access(OID.ocsp, urls.ocspUrl)]),
    ...(urls.caIssuersUrl === undefined ? [] : [access(OID.caIssuers, urls.caIssuersUrl)]),
  ];
  if (descriptions.length === 0) return undefined;
  return extension(OID.authorityInfoAccess, false, derSequence(...descriptions));
}

/**
 * RFC 5280 §4.2.1.13: one DistributionPoint whose distributionPoint [0] (a CHOICE, so explicitly
 * tagged) is fullName [0] GeneralNames holding the URI.
 */
export function crlDistributionPointsExtension(url: string): Uint8Array {
  const point = derSequence(der(0xa0, der(0xa0, der(0x86, ia5('URI', url)))));
  return extension(OID.crlDistributionPoints, false, derSequence(point));
}

/** RFC 6960 §4.2.2.2.1: id-pkix-ocsp-nocheck, NULL value, non-critical. */
export function ocspNoCheckExtension(): Uint8Array {
  return extension(OID.ocspNoCheck, false, derNull());
}
