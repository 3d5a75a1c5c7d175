// Reading a JWS or JWE before any key is involved (RFC 7515 §5.2, RFC 7516 §5.2): which
// serialization it is, its signatures or recipients, and each one's headers, in one normalized
// form. Compact, flattened and general serializations; anything malformed is JoseError
// `malformed-jose` with a fixed phrase.
import { decodeProtectedHeader, isJsonObject } from '@cryptoutil/jwa';
import { JoseError } from '../domain/jose-error.js';

export type Header = Readonly<Record<string, unknown>>;
export type Serialization = 'compact' | 'flattened' | 'general';

export interface ParsedSignature {
  /** The encoded protected header, exactly as signed; undefined when there is none. */
  readonly protected: string | undefined;
  /** The decoded protected header; empty when there is none. */
  readonly protectedHeader: Header;
  readonly header: Header | undefined;
  readonly signature: string;
}

export interface ParsedJws {
  readonly serialization: Serialization;
  /** The payload as it travels (base64url, or raw with b64: false); undefined when detached. */
  readonly payload: string | undefined;
  readonly signatures: readonly ParsedSignature[];
}

export interface ParsedRecipient {
  readonly header: Header | undefined;
  readonly encryptedKey: string | undefined;
  /** Protected, shared unprotected and per-recipient headers joined (RFC 7516 §7.2.1). */
  readonly joseHeader: Header;
}

export interface ParsedJwe {
  readonly serialization: Serialization;
  readonly protected: string | undefined;
  readonly protectedHeader: Header | undefined;
  readonly unprotected: Header | undefined;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
  readonly aad: string | undefined;
  readonly recipients: readonly ParsedRecipient[];
}

const MAX_PARTS = 100;
const B64 = /^[A-Za-z0-9_-]*$/;

export function malformed(message: string): never {
  throw new JoseError('malformed-jose', message);
}

/** RFC 7515 §5.2 steps 2-4: base64url-decoded UTF-8 JSON object. */
export function decodeHeader(encoded: unknown, what: string): Header {
  return decodeProtectedHeader(encoded) ?? malformed(`the ${what} protected header is malformed`);
}

function optionalHeader(value: unknown, what: string): Header | undefined {
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) malformed(`the ${what} unprotected header is malformed`);
  return value;
}

function b64Member(value: unknown, what: string, optional = false): string | undefined {
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || !B64.test(value)) return malformed(`the ${what} is malformed`);
  return value;
}

/** RFC 7515 §7.2.1: header member names must be disjoint across protected and unprotected. */
function checkDisjoint(headers: readonly (Header | undefined)[], what: string): void {
  const seen = new Set<string>();
  for (const header of headers) {
    for (const name of Object.keys(header ?? {})) {
      if (seen.has(name)) malformed(`the ${what} repeats the header parameter ${name}`);
      seen.add(name);
    }
  }
}

function parseSignature(input: Record<string, unknown>): ParsedSignature {
  // RFC 7515 §7.2.1 lets a JSON JWS carry every header unprotected; it is safe here because
  // the key, not the header, decides the algorithm. It must still have a header to carry alg.
  const header = optionalHeader(input.header, 'JWS');
  if (input.protected === undefined && header === undefined)
    malformed('the JWS signature has no header');
  const protectedHeader = input.protected === undefined ? {} : decodeHeader(input.protected, 'JWS');
  // A compact JWS (the hot case) has no unprotected header, so nothing to compare.
  if (header !== undefined) checkDisjoint([protectedHeader, header], 'JWS');
  return {
    protected: input.protected as string | undefined,
    protectedHeader,
    header,
    signature: b64Member(input.signature, 'JWS signature') as string,
  };
}

/** A compact (three parts), flattened or general JWS. */
export function parseJws(input: unknown): ParsedJws {
  if (typeof input === 'string') {
    const parts = input.split('.');
    if (parts.length !== 3) malformed('a compact JWS has three parts');
    const [protectedPart, payload, signature] = parts as [string, string, string];
    return {
      serialization: 'compact',
      payload: payload === '' ? undefined : payload,
      signatures: [parseSignature({ protected: protectedPart, signature })],
    };
  }
  if (!isJsonObject(input)) return malformed('a JWS is a compact string or a JSON object');
  const payload = input.payload;
  if (payload !== undefined && typeof payload !== 'string')
    malformed('the JWS payload is malformed');
  if ('signatures' in input) {
    const list = input.signatures;
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_PARTS) {
      malformed(`a general JWS has 1 to ${MAX_PARTS} signatures`);
    }
    if ('signature' in input || 'protected' in input || 'header' in input)
      malformed('a general JWS mixes in flattened members');
    return {
      serialization: 'general',
      payload,
      signatures: list.map((s) =>
        isJsonObject(s) ? parseSignature(s) : malformed('a JWS signature is malformed'),
      ),
    };
  }
  return { serialization: 'flattened', payload, signatures: [parseSignature(input)] };
}

function jweRecipient(
  header: Header | undefined,
  encryptedKey: string | undefined,
  shared: readonly (Header | undefined)[],
): ParsedRecipient {
  checkDisjoint([...shared, header], 'JWE');
  const joseHeader = Object.assign({}, ...shared, header) as Header;
  return { header, encryptedKey, joseHeader };
}

/** A compact (five parts), flattened or general JWE. */
export function parseJwe(input: unknown): ParsedJwe {
  if (typeof input === 'string') {
    const parts = input.split('.');
    if (parts.length !== 5) malformed('a compact JWE has five parts');
    const [p, key, iv, ciphertext, tag] = parts as [string, string, string, string, string];
    const protectedHeader = decodeHeader(p, 'JWE');
    return {
      serialization: 'compact',
      protected: p,
      protectedHeader,
      unprotected: undefined,
      iv: b64Member(iv, 'JWE iv') as string,
      ciphertext: b64Member(ciphertext, 'JWE ciphertext') as string,
      tag: b64Member(tag, 'JWE tag') as string,
      aad: undefined,
      recipients: [jweRecipient(undefined, b64Member(key, 'JWE encrypted key'), [protectedHeader])],
    };
  }
  if (!isJsonObject(input)) return malformed('a JWE is a compact string or a JSON object');
  const protectedHeader =
    input.protected === undefined ? undefined : decodeHeader(input.protected, 'JWE');
  const unprotected = optionalHeader(input.unprotected, 'JWE');
  const shared = [protectedHeader, unprotected];
  const common = {
    protected: input.protected as string | undefined,
    protectedHeader,
    unprotected,
    iv: b64Member(input.iv, 'JWE iv') as string,
    ciphertext: b64Member(input.ciphertext, 'JWE ciphertext') as string,
    tag: b64Member(input.tag, 'JWE tag') as string,
    aad: b64Member(input.aad, 'JWE aad', true),
  };
  if ('recipients' in input) {
    const list = input.recipients;
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_PARTS) {
      malformed(`a general JWE has 1 to ${MAX_PARTS} recipients`);
    }
    if ('header' in input || 'encrypted_key' in input)
      malformed('a general JWE mixes in flattened members');
    return {
      serialization: 'general',
      ...common,
      recipients: list.map((r) => {
        if (!isJsonObject(r)) return malformed('a JWE recipient is malformed');
        return jweRecipient(
          optionalHeader(r.header, 'JWE'),
          b64Member(r.encrypted_key, 'JWE encrypted key', true),
          shared,
        );
      }),
    };
  }
  return {
    serialization: 'flattened',
    ...common,
    recipients: [
      jweRecipient(
        optionalHeader(input.header, 'JWE'),
        b64Member(input.encrypted_key, 'JWE encrypted key', true),
        shared,
      ),
    ],
  };
}

/** A string header member, or undefined. */
export function stringMember(header: Header, name: string): string | undefined {
  const value = header[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
