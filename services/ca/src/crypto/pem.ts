// PEM text (RFC 7468) and the few DER (ITU-T X.690) reads and writes the CA's encoders need:
// tag-length-value framing, OIDs, integers, strings and times. Certificates, CSRs and their
// extensions are assembled from these so the issuer name and the SubjectPublicKeyInfo go into a
// certificate byte for byte as received.
import { CaError } from '../domain/ca-error.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Encodes DER as PEM with 64-character lines (RFC 7468 §2). */
export function toPem(der: Uint8Array, label: string): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function blockPattern(label: string): RegExp {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`-----BEGIN ${escaped}-----([^-]*)-----END ${escaped}-----`, 'g');
}

function decodeBase64(body: string, label: string): Uint8Array {
  // RFC 7468 §3: whitespace may appear anywhere; anything else outside base64 is an error.
  const text = body.replace(/\s+/g, '');
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) {
    throw new CaError('invalid-request', `the PEM ${label} block holds invalid base64`);
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Every `label` block of a PEM text (a chain, a bundle), in order. */
export function pemBlocks(text: string, label: string): Uint8Array[] {
  return [...text.matchAll(blockPattern(label))].map((m) => decodeBase64(m[1] ?? '', label));
}

/** The first `label` block of a PEM text. */
export function fromPem(text: string, label: string): Uint8Array {
  const block = blockPattern(label).exec(text);
  if (block === null) throw new CaError('invalid-request', `no PEM ${label} block found`);
  return decodeBase64(block[1] ?? '', label);
}

// ---- DER reads (X.690 §8.1, definite lengths only as §10.1 requires) ----

/** One element: its tag octet and where its contents start and end in the buffer. */
export interface DerElement {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/** Reads the element at `offset`; throws TypeError on anything that is not DER framing. */
export function readDer(der: Uint8Array, offset = 0): DerElement {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined || (tag & 0x1f) === 0x1f) {
    throw new TypeError('DER: truncated element or multi-octet tag');
  }
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > 4) throw new TypeError('DER: indefinite or oversized length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (der[contentStart + i] ?? NaN);
    contentStart += octets;
  }
  const end = contentStart + length;
  if (!Number.isFinite(end) || end > der.length) throw new TypeError('DER: length beyond input');
  return { tag, start: offset, contentStart, end };
}

/** The complete child elements (tag, length and value) of the constructed element `der`. */
export function derChildren(der: Uint8Array): Uint8Array[] {
  const outer = readDer(der);
  const children: Uint8Array[] = [];
  for (let at = outer.contentStart; at < outer.end;) {
    const child = readDer(der, at);
    if (child.end > outer.end) throw new TypeError('DER: child overruns its parent');
    children.push(der.subarray(child.start, child.end));
    at = child.end;
  }
  return children;
}

/** The contents octets of a single element. */
export function derContent(der: Uint8Array): Uint8Array {
  const element = readDer(der);
  return der.subarray(element.contentStart, element.end);
}

/** Decodes OBJECT IDENTIFIER contents to dotted text (X.690 §8.19). */
export function decodeOid(content: Uint8Array): string {
  const arcs: number[] = [];
  let value = 0;
  for (const octet of content) {
    value = value * 128 + (octet & 0x7f);
    if ((octet & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

// ---- DER writes ----

function lengthOctets(length: number): number[] {
  if (length < 0x80) return [length];
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest & 0xff);
  return [0x80 | octets.length, ...octets];
}

/** One element from its tag and contents. */
export function der(tag: number, ...content: readonly Uint8Array[]): Uint8Array {
  const length = content.reduce((sum, part) => sum + part.length, 0);
  const head = lengthOctets(length);
  const out = new Uint8Array(1 + head.length + length);
  out[0] = tag;
  out.set(head, 1);
  let at = 1 + head.length;
  for (const part of content) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export const derSequence = (...content: readonly Uint8Array[]): Uint8Array => der(0x30, ...content);
export const derSet = (...content: readonly Uint8Array[]): Uint8Array => der(0x31, ...content);
export const derNull = (): Uint8Array => new Uint8Array([0x05, 0x00]);
export const derBoolean = (value: boolean): Uint8Array =>
  der(0x01, Uint8Array.of(value ? 0xff : 0));
export const derOctetString = (value: Uint8Array): Uint8Array => der(0x04, value);
export const derUtf8 = (text: string): Uint8Array => der(0x0c, Buffer.from(text, 'utf8'));
export const derIa5 = (text: string): Uint8Array => der(0x16, Buffer.from(text, 'latin1'));
export const derPrintable = (text: string): Uint8Array => der(0x13, Buffer.from(text, 'latin1'));

/** BIT STRING with `unused` trailing bits in the last octet (X.690 §8.6). */
export function derBitString(value: Uint8Array, unused = 0): Uint8Array {
  return der(0x03, Uint8Array.of(unused), value);
}

/** INTEGER from a small non-negative number (versions, path lengths). */
export function derSmallInteger(value: number): Uint8Array {
  const octets: number[] = [];
  for (let rest = value; rest > 0 || octets.length === 0; rest = Math.floor(rest / 256)) {
    octets.unshift(rest & 0xff);
  }
  if ((octets[0] ?? 0) & 0x80) octets.unshift(0);
  return der(0x02, Uint8Array.from(octets));
}

/** OBJECT IDENTIFIER from dotted text (X.690 §8.19). */
export function derOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number);
  const [a = 0, b = 0, ...rest] = arcs;
  const octets: number[] = [];
  for (const arc of [a * 40 + b, ...rest]) {
    const group = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128))
      group.unshift(0x80 | (v & 0x7f));
    octets.push(...group);
  }
  return der(0x06, Uint8Array.from(octets));
}

/**
 * RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, both in seconds with Z
 * and never fractional seconds.
 */
export function derTime(date: Date): Uint8Array {
  const iso = date.toISOString();
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  const year = date.getUTCFullYear();
  return year < 2050
    ? der(0x17, Buffer.from(`${digits.slice(2)}Z`, 'latin1'))
    : der(0x18, Buffer.from(`${digits}Z`, 'latin1'));
}

/** Reads a UTCTime or GeneralizedTime element written as RFC 5280 §4.1.2.5 asks. */
export function readDerTime(element: Uint8Array): Date {
  const text = Buffer.from(derContent(element)).toString('latin1');
  const utc = element[0] === 0x17;
  const match = (utc ? /^(\d{2})(\d{10})Z$/ : /^(\d{4})(\d{10})Z$/).exec(text);
  if (match === null) throw new TypeError(`DER: unsupported time ${text}`);
  const yy = Number(match[1]);
  const year = utc ? (yy < 50 ? 2000 + yy : 1900 + yy) : yy;
  const [mo, d, h, mi, s] = (match[2] ?? '').match(/\d{2}/g)?.map(Number) ?? [];
  return new Date(Date.UTC(year, (mo ?? 1) - 1, d, h, mi, s));
}

// ---- X.509 framing (RFC 5280 §4.1) ----

/** One extension of a certificate or of a CSR's extensionRequest (RFC 5280 §4.1). */
export interface ExtensionFields {
  readonly oid: string;
  readonly critical: boolean;
  /** The contents of extnValue: the DER of the extension's own value. */
  readonly value: Uint8Array;
}

/** Splits an Extension SEQUENCE into its identifier, criticality and value. */
export function extensionFields(extension: Uint8Array): ExtensionFields {
  const [id, second, third] = derChildren(extension);
  if (id?.[0] !== 0x06) throw new TypeError('DER: extension without an identifier');
  const critical = second?.[0] === 0x01 && derContent(second)[0] !== 0;
  const value = third ?? second;
  if (value?.[0] !== 0x04) throw new TypeError('DER: extension without a value');
  return { oid: decodeOid(derContent(id)), critical, value: derContent(value) };
}

/** The raw fields of a certificate, each the exact bytes the certificate holds. */
export interface CertificateFields {
  readonly tbs: Uint8Array;
  /** The serial number INTEGER's contents octets. */
  readonly serial: Uint8Array;
  readonly issuer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subject: Uint8Array;
  readonly spki: Uint8Array;
  readonly extensions: readonly ExtensionFields[];
}

/** Reads a DER certificate's fields; TypeError when it is not one. */
export function certificateFields(certificate: Uint8Array): CertificateFields {
  const [tbs] = derChildren(certificate);
  if (tbs === undefined) throw new TypeError('DER: not a certificate');
  const fields = derChildren(tbs);
  if (fields[0]?.[0] === 0xa0) fields.shift(); // [0] EXPLICIT version
  const [serial, , issuer, validity, subject, spki, ...rest] = fields;
  if (serial === undefined || issuer === undefined || validity === undefined) {
    throw new TypeError('DER: not a certificate');
  }
  if (subject === undefined || spki === undefined) throw new TypeError('DER: not a certificate');
  const [notBefore, notAfter] = derChildren(validity);
  if (notBefore === undefined || notAfter === undefined) throw new TypeError('DER: no validity');
  const block = rest.find((field) => field[0] === 0xa3); // [3] EXPLICIT Extensions
  const extensions = block === undefined ? [] : derChildren(derContent(block)).map(extensionFields);
  return {
    tbs,
    serial: derContent(serial),
    issuer,
    notBefore: readDerTime(notBefore),
    notAfter: readDerTime(notAfter),
    subject,
    spki,
    extensions,
  };
}
