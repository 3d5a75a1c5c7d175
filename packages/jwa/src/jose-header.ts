// Reading a JOSE header before any key is involved (RFC 7515 §5.2 steps 2-4, RFC 7516 §5.2):
// a protected header is a non-empty base64url string of UTF-8 JSON naming an object. KMS and
// JOSE turn `undefined` into their own malformed-input error.
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The decoded protected header, or undefined when `encoded` is not one. */
export function decodeProtectedHeader(encoded: unknown): Record<string, unknown> | undefined {
  // A length of 4n+1 is no base64 (RFC 4648 §4); Buffer would drop the last character.
  if (typeof encoded !== 'string' || encoded.length % 4 === 1 || !BASE64URL.test(encoded)) {
    return undefined;
  }
  try {
    // Buffer decodes natively in one step (jose's decode makes a binary string first).
    const header: unknown = JSON.parse(utf8.decode(Buffer.from(encoded, 'base64url')));
    return isJsonObject(header) ? header : undefined;
  } catch {
    return undefined;
  }
}
