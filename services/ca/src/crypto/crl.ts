// CRL generation (RFC 5280 §5): the full CRL of an issuing CA and the partition CRLs that its
// certificates' CRLDP URLs name, as a DER CertificateList v2 signed with the CA's key.
//
// Why part of the DER is framed by hand: @peculiar/asn1-schema builds an asn1js object tree for
// every node it encodes and needs about 7 s for 100,000 revoked entries (OpenSSL's `ca -gencrl`
// takes 0.45 s on the same list). So every field comes from the schema except the repetitive
// revokedCertificates list, whose entries (INTEGER, Time, the schema-encoded reasonCode
// extension) are written straight into one buffer (about 0.1 s for 100,000), and the SEQUENCE
// headers that enclose it.
// crl.test.ts proves the TBSCertList byte-equal to the schema's own encoding of the same CRL.
import { webcrypto } from 'node:crypto';
import {
  AsnConvert,
  AsnIntegerArrayBufferConverter,
  AsnIntegerBigIntConverter,
  AsnProp,
  AsnPropTypes,
  BitString,
  OctetString,
} from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { CaError } from '../domain/ca-error.js';
import { REVOCATION_REASONS, type RevokedEntry } from '../domain/revocation.js';
import { signatureAlgorithmOf, type SignatureAlgorithm, type SigningCa } from './signing-ca.js';

export interface BuildCrlInput {
  readonly issuer: SigningCa;
  /** RFC 5280 §5.2.3: monotonically increasing, 0 ≤ n < 2^159 (at most 20 octets). */
  readonly crlNumber: bigint;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /**
   * Listed in this order; serials are unique per CA (the store's key) and not checked again.
   * Entries with reason removeFromCRL are left out: that reason belongs to delta CRLs (§5.3.1).
   */
  readonly entries: readonly RevokedEntry[];
  /** The URI of a partition CRL: adds a critical issuingDistributionPoint (RFC 5280 §5.2.5). */
  readonly distributionPoint?: string;
}

const der = (value: ArrayBuffer) => new Uint8Array(value);
const serialize = (value: unknown) => AsnConvert.serialize(value);

function extension(extnID: string, critical: boolean, value: ArrayBuffer): asn.Extension {
  return new asn.Extension({ extnID, critical, extnValue: new OctetString(value) });
}

// ---- DER framing (X.690 §8.1): only headers; every value comes from the schema.

function derHeader(tag: number, length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(tag, length);
  const octets: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256);
  return Uint8Array.of(tag, 0x80 | octets.length, ...octets);
}

function tlv(tag: number, parts: readonly Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const header = derHeader(tag, length);
  const out = new Uint8Array(header.length + length);
  out.set(header);
  let at = header.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The elements directly inside one constructed DER value (already validated by the schema). */
function elementsOf(value: Uint8Array): Uint8Array[] {
  const read = (at: number) => {
    const first = value[at + 1] ?? 0;
    const count = first < 0x80 ? 0 : first & 0x7f;
    let length = first < 0x80 ? first : 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (value[at + 2 + i] ?? 0);
    return { content: at + 2 + count, end: at + 2 + count + length };
  };
  const items: Uint8Array[] = [];
  const outer = read(0);
  for (let at = outer.content; at < outer.end; at = read(at).end) {
    items.push(value.subarray(at, read(at).end));
  }
  return items;
}

// ---- Times (RFC 5280 §5.1.2.4, §5.1.2.5): UTCTime through 2049, GeneralizedTime from 2050,
// whole seconds (§4.1.2.5.1, §4.1.2.5.2: no fractional seconds).

function checkedYear(date: Date, field: string): number {
  const year = date.getUTCFullYear();
  if (!(year >= 1950 && year <= 9999)) throw new TypeError(`${field} is not a date in 1950..9999`);
  return year;
}

function timeDer(date: Date, field: string): Uint8Array {
  const year = checkedYear(date, field);
  const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000);
  const time = new asn.Time(year < 2050 ? { utcTime: seconds } : { generalTime: seconds });
  return der(serialize(time));
}

// ---- revokedCertificates (RFC 5280 §5.1.2.6), written by hand for speed (see the top).

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i += 1) NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;

/** The crlEntryExtensions of each reason code: only reasonCode, non-critical (§5.3.1). */
const REASON_EXTENSIONS = new Map(
  Object.entries(REVOCATION_REASONS).map(([name, code]) => {
    const reason = extension(asn.id_ce_cRLReasons, false, serialize(new asn.CRLReason(code)));
    return [name, der(serialize(new asn.Extensions([reason])))];
  }),
);
REASON_EXTENSIONS.delete('unspecified'); // §5.3.1: absent rather than unspecified

/** SEQUENCE + INTEGER (≤ 21 octets) + GeneralizedTime + the longest reason extensions. */
const MAX_ENTRY = 2 + 23 + 17 + Math.max(...[...REASON_EXTENSIONS.values()].map((e) => e.length));

function writeTwoDigits(out: Uint8Array, at: number, n: number): void {
  out[at] = 0x30 + Math.floor(n / 10);
  out[at + 1] = 0x30 + (n % 10);
}

function writeTime(out: Uint8Array, at: number, date: Date, year: number): number {
  const generalized = year >= 2050;
  out[at] = generalized ? 0x18 : 0x17;
  out[at + 1] = generalized ? 15 : 13;
  let p = at + 2;
  if (generalized) {
    writeTwoDigits(out, p, Math.floor(year / 100));
    p += 2;
  }
  writeTwoDigits(out, p, year % 100);
  writeTwoDigits(out, p + 2, date.getUTCMonth() + 1);
  writeTwoDigits(out, p + 4, date.getUTCDate());
  writeTwoDigits(out, p + 6, date.getUTCHours());
  writeTwoDigits(out, p + 8, date.getUTCMinutes());
  writeTwoDigits(out, p + 10, date.getUTCSeconds());
  out[p + 12] = 0x5a; // 'Z'
  return p + 13;
}

function writeEntry(out: Uint8Array, at: number, entry: RevokedEntry, index: number): number {
  const { serial } = entry;
  const badSerial = () => new TypeError(`entries[${index}].serial must be positive lowercase hex`);
  let start = 0;
  while (serial.charCodeAt(start) === 0x30) start += 1;
  const digits = serial.length - start;
  if (digits === 0 || digits > 40) throw badSerial(); // RFC 5280 §4.1.2.2: ≤ 20 octets
  const odd = digits % 2;
  const pad = odd === 0 && serial.charCodeAt(start) >= 0x38 ? 1 : 0; // first nibble ≥ 8
  const intLength = (digits + odd) / 2 + pad;
  const year = checkedYear(entry.revokedAt, `entries[${index}].revokedAt`);
  const extensions = entry.reason === undefined ? undefined : REASON_EXTENSIONS.get(entry.reason);
  out[at] = 0x30;
  out[at + 1] = 2 + intLength + (year < 2050 ? 15 : 17) + (extensions?.length ?? 0);
  out[at + 2] = 0x02;
  out[at + 3] = intLength;
  let p = at + 4;
  if (pad === 1) out[p++] = 0;
  for (let i = start - odd; i < serial.length; i += 2) {
    const high = i < start ? 0 : (NIBBLE[serial.charCodeAt(i)] ?? -1);
    const low = NIBBLE[serial.charCodeAt(i + 1)] ?? -1;
    if (high < 0 || low < 0) throw badSerial();
    out[p++] = (high << 4) | low;
  }
  p = writeTime(out, p, entry.revokedAt, year);
  if (extensions !== undefined) out.set(extensions, p);
  return p + (extensions?.length ?? 0);
}

/** The revokedCertificates SEQUENCE, or undefined when nothing is listed (§5.1.2.6). */
function revokedCertificates(entries: readonly RevokedEntry[]): Uint8Array | undefined {
  const out = new Uint8Array(6 + entries.length * MAX_ENTRY);
  let at = 6; // room for the SEQUENCE header, written once the length is known
  entries.forEach((entry, index) => {
    if (entry.reason === 'removeFromCRL') return;
    at = writeEntry(out, at, entry, index);
  });
  if (at === 6) return undefined;
  const header = derHeader(0x30, at - 6);
  out.set(header, 6 - header.length);
  return out.subarray(6 - header.length, at);
}

// ---- CRL extensions (RFC 5280 §5.2).

function crlExtensions(keyId: ArrayBuffer, crlNumber: bigint, uri?: string): Uint8Array {
  const aki = new asn.AuthorityKeyIdentifier({ keyIdentifier: new asn.KeyIdentifier(keyId) });
  const extensions = [
    extension(asn.id_ce_authorityKeyIdentifier, false, serialize(aki)), // §5.2.1
    // §5.2.3; CRLNumber's schema holds a JS number, its bigint converter all 20 octets.
    extension(asn.id_ce_cRLNumber, false, AsnIntegerBigIntConverter.toASN(crlNumber).toBER()),
  ];
  if (uri !== undefined) {
    // §5.2.5: partition CRLs cover end-entity certificates only; a CA certificate's CRLDP
    // names the full CRL.
    const idp = new asn.IssuingDistributionPoint({
      distributionPoint: new asn.DistributionPointName({
        fullName: [new asn.GeneralName({ uniformResourceIdentifier: uri })],
      }),
      onlyContainsUserCerts: true,
    });
    extensions.push(extension(asn.id_ce_issuingDistributionPoint, true, serialize(idp)));
  }
  return tlv(0xa0, [der(serialize(new asn.Extensions(extensions)))]); // [0] EXPLICIT
}

// ---- The issuer: its subject verbatim (§5.1.2.3) and its key identifier (§5.2.1).

function issuerOf(certificate: Uint8Array): { subject: Uint8Array; keyId: ArrayBuffer } {
  const parsed = AsnConvert.parse(certificate, asn.Certificate);
  const ski = parsed.tbsCertificate.extensions?.find(
    (ext) => ext.extnID === asn.id_ce_subjectKeyIdentifier,
  );
  if (ski === undefined) {
    throw new CaError(
      'ca-unavailable',
      'the CA certificate has no subjectKeyIdentifier (RFC 5280 §4.2.1.2) for the CRL AKI',
    );
  }
  const keyId = AsnConvert.parse(ski.extnValue, asn.SubjectKeyIdentifier).buffer;
  const tbs = elementsOf(der(parsed.tbsCertificateRaw ?? new ArrayBuffer(0)));
  // TBSCertificate: [0] version, serialNumber, signature, issuer, validity, subject, …
  const subject = tbs[tbs[0]?.[0] === 0xa0 ? 5 : 4];
  if (subject === undefined) throw new TypeError('issuer.certificate has no subject');
  return { subject, keyId };
}

// ---- Signing.

/** RFC 3279 §2.2.3 Ecdsa-Sig-Value. */
class EcdsaSigValue {
  r = new ArrayBuffer(0);
  s = new ArrayBuffer(0);
}
const INTEGER = { type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter };
AsnProp(INTEGER)(EcdsaSigValue.prototype, 'r');
AsnProp(INTEGER)(EcdsaSigValue.prototype, 's');

/** Unsigned big-endian octets as the content of a positive DER INTEGER (X.690 §8.3.2). */
function positiveInteger(octets: Uint8Array): ArrayBuffer {
  let start = 0;
  while (start < octets.length - 1 && octets[start] === 0) start += 1;
  const pad = (octets[start] ?? 0) >= 0x80 ? 1 : 0;
  const out = new Uint8Array(octets.length - start + pad);
  out.set(octets.subarray(start), pad);
  return out.buffer;
}

const SIGNATURE_OIDS = {
  'SHA-256': '1.2.840.10045.4.3.2', // RFC 5758 §3.2 ecdsa-with-SHA256, parameters absent
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
} as const;

function algorithmIdentifier(algorithm: SignatureAlgorithm): Uint8Array {
  const identifier =
    algorithm.name === 'ECDSA'
      ? new asn.AlgorithmIdentifier({ algorithm: SIGNATURE_OIDS[algorithm.hash] })
      : algorithm.name === 'Ed25519'
        ? new asn.AlgorithmIdentifier({ algorithm: '1.3.101.112' }) // RFC 8410 §3, absent
        : // RFC 4055 §5 sha256WithRSAEncryption, parameters NULL
          new asn.AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.11', parameters: null });
  return der(serialize(identifier));
}

async function sign(issuer: SigningCa, algorithm: SignatureAlgorithm, tbs: Uint8Array) {
  const keyHash = (issuer.privateKey.algorithm as { hash?: { name: string } }).hash?.name;
  if (algorithm.name === 'RSASSA-PKCS1-v1_5' && keyHash !== algorithm.hash) {
    throw new TypeError(`the RSA CA key must be imported for ${algorithm.hash}, not ${keyHash}`);
  }
  const signature = der(await webcrypto.subtle.sign(algorithm, issuer.privateKey, tbs));
  if (algorithm.name !== 'ECDSA') return signature;
  // WebCrypto returns r || s (RFC 7518 §3.4 layout); X.509 wants Ecdsa-Sig-Value.
  const half = signature.length / 2;
  const value = new EcdsaSigValue();
  value.r = positiveInteger(signature.subarray(0, half));
  value.s = positiveInteger(signature.subarray(half));
  return der(serialize(value));
}

function checkInput(input: BuildCrlInput): void {
  const { crlNumber, thisUpdate, nextUpdate, distributionPoint } = input;
  if (crlNumber < 0n || crlNumber >= 2n ** 159n) {
    throw new TypeError('crlNumber must be 0 ≤ n < 2^159 (RFC 5280 §5.2.3: ≤ 20 octets)');
  }
  if (!(nextUpdate.getTime() > thisUpdate.getTime())) {
    throw new TypeError('nextUpdate must be later than thisUpdate');
  }
  if (
    distributionPoint !== undefined &&
    !/^[a-z][a-z0-9+.-]*:[\x21-\x7e]+$/i.test(distributionPoint)
  ) {
    throw new TypeError('distributionPoint must be an ASCII URI (an IA5String GeneralName)');
  }
}

/** Builds and signs a CRL (RFC 5280 §5.1): DER CertificateList, version 2. */
export async function buildCrl(input: BuildCrlInput): Promise<Uint8Array> {
  checkInput(input);
  const algorithm = signatureAlgorithmOf(input.issuer.privateKey);
  const { subject, keyId } = issuerOf(input.issuer.certificate);
  const signatureAlgorithm = algorithmIdentifier(algorithm);
  const revoked = revokedCertificates(input.entries);
  const tbs = tlv(0x30, [
    der(AsnIntegerBigIntConverter.toASN(1n).toBER()), // §5.1.2.1 version v2
    signatureAlgorithm, // §5.1.2.2
    subject,
    timeDer(input.thisUpdate, 'thisUpdate'),
    timeDer(input.nextUpdate, 'nextUpdate'),
    ...(revoked === undefined ? [] : [revoked]),
    crlExtensions(keyId, input.crlNumber, input.distributionPoint),
  ]);
  const signature = await sign(input.issuer, algorithm, tbs);
  return tlv(0x30, [tbs, signatureAlgorithm, der(serialize(new BitString(signature)))]);
}

/** PEM with the label RFC 7468 §6 gives CRLs. */
export function crlToPem(crl: Uint8Array): string {
  const base64 = Buffer.from(crl.buffer, crl.byteOffset, crl.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN X509 CRL-----\n${lines.join('\n')}\n-----END X509 CRL-----\n`;
}
