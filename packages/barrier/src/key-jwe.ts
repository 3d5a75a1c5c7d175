// The barrier's one JWE scheme (RFC 7516 compact serialization, RFC 7518 §4.5 `dir` with
// §5.3 `A256GCM`): every stored key and every datum is encrypted directly under its parent's
// 256-bit key with a fresh random 96-bit IV, and the protected header's `kid` names that parent,
// so decryption walks the chain. A wrapped key's plaintext is an `oct` JWK (RFC 7517) whose
// `kid` is the key's own id, so a row copied under another id fails to unwrap.
import { webcrypto } from 'node:crypto';
import { CompactEncrypt, base64url, compactDecrypt, decodeProtectedHeader, type JWK } from 'jose';
import { BarrierError } from './barrier-error.js';

export const KEY_BYTES = 32;

export type CryptoKey = webcrypto.CryptoKey;

/** An AES-256 key: raw bytes (unseal keys, fresh keys) or a non-extractable CryptoKey. */
export type AesKey = CryptoKey | Uint8Array;

/**
 * Imports raw key bytes as a non-extractable AES-GCM CryptoKey: faster for jose than raw bytes
 * (no import per operation), and its bytes cannot be read back through any API.
 */
export function importAesKey(key: Uint8Array): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt', 'decrypt']);
}
const algorithms = {
  keyManagementAlgorithms: ['dir'],
  contentEncryptionAlgorithms: ['A256GCM'],
};
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encrypts `key` (32 bytes, id `kid`) under `parent` (id `parentKid`). */
export async function wrapKey(
  key: { readonly kid: string; readonly key: Uint8Array },
  parent: { readonly kid: string; readonly key: AesKey },
): Promise<string> {
  const jwk: JWK = { kty: 'oct', kid: key.kid, k: base64url.encode(key.key) };
  return new CompactEncrypt(encoder.encode(JSON.stringify(jwk)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: parent.kid, cty: 'jwk+json' })
    .encrypt(parent.key);
}

/**
 * Decrypts a wrapped key into a non-extractable CryptoKey; throws BarrierError `decrypt-failed`
 * on any mismatch or tampering.
 */
export async function unwrapKey(jwe: string, kid: string, parentKey: AesKey): Promise<CryptoKey> {
  try {
    const { plaintext } = await compactDecrypt(jwe, parentKey, algorithms);
    const jwk = JSON.parse(decoder.decode(plaintext)) as JWK;
    const key = typeof jwk.k === 'string' ? base64url.decode(jwk.k) : undefined;
    if (jwk.kty === 'oct' && jwk.kid === kid && key?.length === KEY_BYTES) {
      const imported = await importAesKey(key);
      key.fill(0);
      return imported;
    }
  } catch {
    // Fall through: the cause may describe the key, so it is not kept.
  }
  throw new BarrierError('decrypt-failed', `key ${kid}: decryption failed`);
}

/** The `kid` of a compact JWE's protected header, or undefined when it is malformed. */
export function parentKidOf(jwe: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(jwe);
    return typeof kid === 'string' && kid !== '' ? kid : undefined;
  } catch {
    return undefined;
  }
}
