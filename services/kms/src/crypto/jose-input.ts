// Reading the headers of a JWE or JWS before any key is involved: which serialization it is,
// whether it is well formed enough to try, and which `kid` it names. Accepts the compact
// serialization and the JSON serializations with exactly one recipient or signature (RFC 7516
// §7, RFC 7515 §7); anything else is KmsError `malformed-jose`.
import { decodeProtectedHeader, isJsonObject } from '@cryptoutil/jwa';
import { KmsError } from '../domain/kms-error.js';

export type Header = Readonly<Record<string, unknown>>;

/** The protected header (if any), then the unprotected ones in lookup order. */
export interface JoseHeaders {
  readonly protectedHeader: Header | undefined;
  readonly unprotected: readonly Header[];
}

function malformed(message: string): never {
  throw new KmsError('malformed-jose', message);
}

/** RFC 7515 §5.2 step 2-4: base64url-decoded UTF-8 JSON object. */
function decodeHeader(encoded: unknown, what: string): Header {
  return decodeProtectedHeader(encoded) ?? malformed(`the ${what} protected header is malformed`);
}

function optionalHeader(value: unknown, what: string): Header[] {
  if (value === undefined) return [];
  if (!isJsonObject(value)) malformed(`the ${what} unprotected header is malformed`);
  return [value];
}

/** The single member of a general serialization's array, or the object itself when flattened. */
function single(input: Record<string, unknown>, member: string, what: string) {
  if (!(member in input)) return input;
  const list = input[member];
  if (!Array.isArray(list) || list.length !== 1 || !isJsonObject(list[0])) {
    return malformed(`a general ${what} must have exactly one ${member.slice(0, -1)}`);
  }
  return list[0];
}

/** Headers of a compact JWE (5 parts), flattened JWE, or general JWE with one recipient. */
export function jweHeaders(input: unknown): JoseHeaders {
  if (typeof input === 'string') {
    const parts = input.split('.');
    if (parts.length !== 5) malformed('a compact JWE has five parts');
    return { protectedHeader: decodeHeader(parts[0], 'JWE'), unprotected: [] };
  }
  if (!isJsonObject(input)) return malformed('a JWE is a compact string or a JSON object');
  const recipient = single(input, 'recipients', 'JWE');
  if (typeof input.ciphertext !== 'string') malformed('the JWE has no ciphertext');
  return {
    protectedHeader:
      input.protected === undefined ? undefined : decodeHeader(input.protected, 'JWE'),
    unprotected: [
      ...optionalHeader(recipient.header, 'JWE'),
      ...optionalHeader(input.unprotected, 'JWE'),
    ],
  };
}

/** Headers of a compact JWS (3 parts), flattened JWS, or general JWS with one signature. */
export function jwsHeaders(input: unknown): JoseHeaders {
  if (typeof input === 'string') {
    const parts = input.split('.');
    if (parts.length !== 3) malformed('a compact JWS has three parts');
    return { protectedHeader: decodeHeader(parts[0], 'JWS'), unprotected: [] };
  }
  if (!isJsonObject(input)) return malformed('a JWS is a compact string or a JSON object');
  const signature = single(input, 'signatures', 'JWS');
  if (typeof input.payload !== 'string') malformed('the JWS has no payload');
  if (typeof signature.signature !== 'string') malformed('the JWS has no signature');
  // Our verify needs `alg` integrity protected (RFC 7515 §10.7), so a JWS without a protected
  // header is not one we accept.
  if (signature.protected === undefined) malformed('the JWS has no protected header');
  return {
    protectedHeader: decodeHeader(signature.protected, 'JWS'),
    unprotected: optionalHeader(signature.header, 'JWS'),
  };
}

/** All headers in lookup order: protected first. */
export function allHeaders(headers: JoseHeaders): Header[] {
  return headers.protectedHeader === undefined
    ? [...headers.unprotected]
    : [headers.protectedHeader, ...headers.unprotected];
}

/** The first non-empty string `kid`, protected header first; `malformed-jose` if none. */
export function kidOf(headers: JoseHeaders, what: 'JWE' | 'JWS'): string {
  for (const header of allHeaders(headers)) {
    const { kid } = header;
    if (typeof kid === 'string' && kid !== '') return kid;
  }
  return malformed(`the ${what} names no kid`);
}
