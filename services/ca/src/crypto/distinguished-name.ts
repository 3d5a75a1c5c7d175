// Distinguished names (RFC 5280 §4.1.2.4): written from and read into NameAttribute lists and
// RFC 4514 strings, with the string types X.520 and the CA/Browser Forum expect per attribute.
import { SUBJECT_ATTRIBUTE_OIDS } from '../domain/profile.js';
import { CaError } from '../domain/ca-error.js';
import type { NameAttribute } from '../domain/certificate-request.js';
import {
  decodeOid,
  derChildren,
  derContent,
  derIa5,
  derOid,
  derPrintable,
  derSequence,
  derSet,
  derUtf8,
} from './pem.js';

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
