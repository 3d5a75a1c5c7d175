// JWS (RFC 7515) over jose: signing to the compact, flattened or general serialization with one
// or several signers, detached payloads (Appendix F) and unencoded payloads (RFC 7797); and
// checking one parsed signature with one key. Callers resolve keys and decide what a set of
// signature results means.
import type { JoseKey, SigningAlgorithm } from '@cryptoutil/jwa';
import {
  base64url,
  errors,
  flattenedVerify,
  FlattenedSign,
  GeneralSign,
  type FlattenedJWS,
  type FlattenedJWSInput,
  type GeneralJWS,
} from 'jose';
import { JoseError } from '../domain/jose-error.js';
import { callerHeader, disjoint, hasMembers, NO_HEADER } from './header-rules.js';
import type { Header, ParsedJws, ParsedSignature, Serialization } from './jose-input.js';

export interface Signer {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly key: JoseKey;
  readonly protectedHeader?: Header | undefined;
  readonly header?: Header | undefined;
}

export interface SignOptions {
  readonly payload: Uint8Array;
  readonly serialization: Serialization;
  readonly detached: boolean;
  /** false: RFC 7797 unencoded payload. */
  readonly b64: boolean;
  readonly signers: readonly Signer[];
}

type Detachable<T extends { payload: string }> = Omit<T, 'payload'> & { payload?: string };

/** A JWS as we hand it out; the JSON forms lack `payload` when detached. */
export type Jws = string | Detachable<FlattenedJWS> | Detachable<GeneralJWS>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function invalidRequest(message: string): never {
  throw new JoseError('invalid-request', message);
}

/** The payload as an unencoded JWS carries it: UTF-8 text (RFC 7797 §5.3 JSON, §5.2 compact). */
function unencodedPayload(options: SignOptions): string {
  if (options.detached) return '';
  let text: string;
  try {
    text = utf8.decode(options.payload);
  } catch {
    return invalidRequest('an unencoded (b64: false) payload must be UTF-8 text unless detached');
  }
  if (options.serialization === 'compact' && text.includes('.')) {
    invalidRequest(
      'a compact unencoded payload may not contain "." unless detached (RFC 7797 §5.2)',
    );
  }
  return text;
}

function headersOf(signer: Signer, b64: boolean) {
  const unprotected =
    signer.header === undefined ? NO_HEADER : callerHeader(signer.header, 'header');
  if (signer.protectedHeader === undefined && b64) {
    // The common case: only what we set, so nothing to check.
    return { protectedHeader: { alg: signer.alg, kid: signer.kid }, unprotected };
  }
  const own = callerHeader(signer.protectedHeader, 'protectedHeader');
  const protectedHeader = {
    ...own,
    alg: signer.alg,
    kid: signer.kid,
    ...(b64 ? {} : { b64: false, crit: ['b64'] }),
  };
  if (unprotected !== NO_HEADER) disjoint([protectedHeader, unprotected], 'the signature');
  return { protectedHeader, unprotected };
}

/** Signs `payload` with every signer into the serialization asked for. */
export async function signJws(options: SignOptions): Promise<Jws> {
  const { serialization, signers, b64 } = options;
  if (signers.length === 0) invalidRequest('at least one signer');
  if (serialization !== 'general' && signers.length > 1) {
    invalidRequest('several signatures need the general serialization');
  }
  const payloadText = b64 ? undefined : unencodedPayload(options);
  if (serialization === 'general') {
    const jws = new GeneralSign(options.payload);
    for (const signer of signers) {
      const { protectedHeader, unprotected } = headersOf(signer, b64);
      const signature = jws.addSignature(signer.key).setProtectedHeader(protectedHeader);
      if (hasMembers(unprotected)) signature.setUnprotectedHeader(unprotected);
    }
    const general: GeneralJWS = await jws.sign();
    if (options.detached) return withoutPayload(general);
    return payloadText === undefined ? general : { ...general, payload: payloadText };
  }
  const signer = signers[0] as Signer;
  const { protectedHeader, unprotected } = headersOf(signer, b64);
  if (serialization === 'compact' && hasMembers(unprotected)) {
    invalidRequest('the compact serialization has no unprotected header');
  }
  const jws = new FlattenedSign(options.payload).setProtectedHeader(protectedHeader);
  if (hasMembers(unprotected)) jws.setUnprotectedHeader(unprotected);
  const flattened = await jws.sign(signer.key);
  const payload = options.detached ? '' : (payloadText ?? flattened.payload);
  if (serialization === 'compact') {
    return `${flattened.protected ?? ''}.${payload}.${flattened.signature}`;
  }
  return options.detached ? withoutPayload(flattened) : { ...flattened, payload };
}

function withoutPayload<T extends { payload: string }>(jws: T): Omit<T, 'payload'> {
  const rest: Partial<T> = { ...jws };
  delete rest.payload;
  return rest as Omit<T, 'payload'>;
}

/** Whether the signature's protected header asks for an unencoded payload (RFC 7797). */
export function isUnencoded(signature: ParsedSignature): boolean {
  return signature.protectedHeader.b64 === false;
}

/**
 * The bytes a signature covers as payload: the JWS's own, or the detached one the caller
 * supplied. Undefined when the JWS is detached and no payload was supplied.
 */
export function signedPayload(
  jws: ParsedJws,
  signature: ParsedSignature,
  detached: Uint8Array | undefined,
): string | Uint8Array | undefined {
  const unencoded = isUnencoded(signature);
  if (jws.payload !== undefined) {
    return unencoded ? new TextEncoder().encode(jws.payload) : jws.payload;
  }
  if (detached === undefined) return undefined;
  return unencoded ? detached : base64url.encode(detached);
}

/**
 * Checks one signature with one key for one algorithm. Answers the payload bytes, or false
 * when the signature does not verify (a JOSE-level failure; anything else throws).
 */
export async function checkSignature(
  signature: ParsedSignature,
  payload: string | Uint8Array,
  key: JoseKey,
  alg: SigningAlgorithm,
): Promise<Uint8Array | false> {
  try {
    // One object shape: jose treats an undefined member as an absent one.
    const result = await flattenedVerify(
      {
        protected: signature.protected,
        header: signature.header,
        payload,
        signature: signature.signature,
      } as FlattenedJWSInput,
      key,
      { algorithms: [alg] },
    );
    return result.payload;
  } catch (err) {
    if (err instanceof errors.JOSEError) return false;
    throw err;
  }
}
