// Reading a JOSE header before any key is involved (RFC 7515 §5.2 steps 2-4, RFC 7516 §5.2):
// a protected header is a non-empty base64url string of UTF-8 JSON naming an object. KMS and
// JOSE turn `undefined` into their own malformed-input error.
import { base64url } from 'jose';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The decoded protected header, or undefined when `encoded` is not one. */
export function decodeProtectedHeader(encoded: unknown): Record<string, unknown> | undefined {
  if (typeof encoded !== 'string' || !BASE64URL.test(encoded)) return undefined;
  try {
    const header: unknown = JSON.parse(utf8.decode(base64url.decode(encoded)));
    return isJsonObject(header) ? header : undefined;
  } catch {
    return undefined;
  }
}
