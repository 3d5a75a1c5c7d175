// Certificate serial numbers: generated from a CSPRNG, and one canonical text form (lowercase hex
// of the INTEGER's magnitude, no leading zero octets) used as the database key, in CRL entries
// and in OCSP lookups, whatever spelling a caller sent.
import { randomBytes } from 'node:crypto';
import { CaError } from '../domain/ca-error.js';

/** RFC 5280 §4.1.2.2: conforming CAs MUST NOT use serial numbers longer than 20 octets. */
const MAX_OCTETS = 20;

/**
 * A new serial: 128 bits from the CSPRNG with the top bit cleared, so the DER INTEGER is positive
 * and 16 octets long (< 2^127, well under the 20-octet limit of RFC 5280 §4.1.2.2), and at least
 * 64 random bits as the CA/Browser Forum baseline requirements §7.1 ask. A zero first octet
 * would shorten the encoding, so it is replaced by a random non-zero one.
 */
export function newSerial(): string {
  const bytes = randomBytes(16);
  while ((bytes[0] = (bytes[0] ?? 0) & 0x7f) === 0) bytes[0] = randomBytes(1)[0] ?? 0;
  return bytes.toString('hex');
}

/**
 * The canonical form of a serial written as hex, with or without `0x`, colons between octets
 * (as openssl prints them) or leading zeros, in any case. Zero is `00`.
 */
export function normalizeSerial(input: string): string {
  const digits = input.trim().replace(/^0x/i, '').replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(digits))
    throw new CaError('invalid-request', 'serial must be hexadecimal');
  const hex = digits.replace(/^0+/, '');
  const even = hex.length % 2 === 1 ? `0${hex}` : hex;
  if (even.length > MAX_OCTETS * 2) {
    throw new CaError('invalid-request', `serial is longer than ${MAX_OCTETS} octets`);
  }
  return even === '' ? '00' : even;
}

/** The contents octets of the DER INTEGER for a serial: a 0x00 first when the top bit is set. */
export function serialBytes(hex: string): Uint8Array {
  const bytes = Buffer.from(normalizeSerial(hex), 'hex');
  return (bytes[0] ?? 0) & 0x80 ? Uint8Array.of(0, ...bytes) : new Uint8Array(bytes);
}

/** The canonical serial of a DER INTEGER's contents octets (as read from a certificate). */
export function serialFromBytes(content: Uint8Array): string {
  let start = 0;
  while (start < content.length - 1 && content[start] === 0) start++;
  const hex = Buffer.from(content.subarray(start)).toString('hex');
  return hex === '' ? '00' : hex;
}
