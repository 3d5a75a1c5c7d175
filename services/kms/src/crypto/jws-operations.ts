// JWS with a loaded material key (RFC 7515): sign to the compact or flattened JSON
// serialization, read the kid that picks the version, and verify. Verify admits only the key's
// own `alg` (RFC 8725 §3.1, no algorithm confusion), no extensions (`crit`, RFC 7797 `b64`),
// and reports any failure past the shape check as `signature-invalid`.
import {
  CompactSign,
  compactVerify,
  errors,
  FlattenedSign,
  flattenedVerify,
  generalVerify,
  type FlattenedJWS,
  type FlattenedJWSInput,
  type GeneralJWSInput,
  type JWSHeaderParameters,
  type VerifyOptions,
} from 'jose';
import type { SigningAlgorithm } from '../domain/algorithms.js';
import { KmsError } from '../domain/kms-error.js';
import { allHeaders, jwsHeaders, kidOf } from './jose-input.js';
import type { JoseKey, LoadedKey } from './loaded-key.js';

export interface VerifyResult {
  readonly payload: Uint8Array;
  readonly protectedHeader: JWSHeaderParameters;
}

function signingKey(key: LoadedKey, direction: 'signKey' | 'verifyKey') {
  const material = key[direction];
  if (key.parts.use !== 'sig' || material === undefined) {
    throw new KmsError('wrong-key-use', `${key.algorithm} is not a signing algorithm`);
  }
  return { kid: key.kid, alg: key.parts.alg as SigningAlgorithm, key: material };
}

/** Compact JWS (RFC 7515 §7.1) with protected header `{alg, kid}`. */
export async function signCompact(key: LoadedKey, payload: Uint8Array): Promise<string> {
  const { kid, alg, key: material } = signingKey(key, 'signKey');
  return new CompactSign(payload).setProtectedHeader({ alg, kid }).sign(material);
}

/** Flattened JWS JSON (RFC 7515 §7.2.2) with protected header `{alg, kid}`. */
export async function signFlattened(key: LoadedKey, payload: Uint8Array): Promise<FlattenedJWS> {
  const { kid, alg, key: material } = signingKey(key, 'signKey');
  return new FlattenedSign(payload).setProtectedHeader({ alg, kid }).sign(material);
}

/** The `kid` of a compact, flattened or single-signature general JWS; else `malformed-jose`. */
export function readJwsKid(input: string | object): string {
  return kidOf(jwsHeaders(input), 'JWS');
}

const invalid = () => new KmsError('signature-invalid', 'signature verification failed');

function checkJws(input: string | object, material: JoseKey, options: VerifyOptions) {
  if (typeof input === 'string') return compactVerify(input, material, options);
  if ('signatures' in input) return generalVerify(input as GeneralJWSInput, material, options);
  return flattenedVerify(input as FlattenedJWSInput, material, options);
}

/**
 * Verifies a JWS made with this key version. `malformed-jose` when it is not a JWS we accept;
 * `signature-invalid` for a bad signature, another `alg`, `crit`, or an unencoded payload.
 */
export async function verify(key: LoadedKey, input: string | object): Promise<VerifyResult> {
  const { alg, key: material } = signingKey(key, 'verifyKey');
  const headers = jwsHeaders(input);
  // We understand no extension, so any `crit` is unknown (RFC 7515 §4.1.11); `b64: false`
  // (RFC 7797) would sign raw bytes the caller sees differently: refuse both outright.
  if (allHeaders(headers).some((header) => 'crit' in header || 'b64' in header)) throw invalid();
  try {
    const { payload } = await checkJws(input, material, { algorithms: [alg] });
    // jwsHeaders required a protected header; it holds the very bytes jose just verified.
    return { payload, protectedHeader: headers.protectedHeader as JWSHeaderParameters };
  } catch (err) {
    if (err instanceof errors.JOSEError) throw invalid();
    throw err;
  }
}
