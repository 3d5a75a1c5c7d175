// The v3 extensions the CA issues (RFC 5280 §4.2), each built as the DER of one Extension, and
// the GeneralName forms they carry. Distinguished names are in distinguished-name.ts.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { CaError } from '../domain/ca-error.js';
import {
  KEY_USAGES,
  type KeyUsageName,
  type SubjectAltNames,
} from '../domain/certificate-request.js';
import {
  der,
  derBoolean,
  derChildren,
  derContent,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  derSmallInteger,
} from './pem.js';

/** Printable ASCII: what an IA5String SAN may hold here. */
const ASCII = /^[\x20-\x7e]*$/;

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
