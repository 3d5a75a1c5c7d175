// Pre-generated JWK files (RFC 7517 §6.4 `oct` keys with 256-bit `k`): each JWK is one unseal
// key, and the root key is wrapped under each, so any one of them unseals. The kid is the JWK's
// own `kid`, or its RFC 7638 thumbprint when it has none.
import { createHash } from 'node:crypto';
import { base64url, type JWK } from 'jose';
import { KEY_BYTES } from './key-jwe.js';
import type { UnsealKey, UnsealKeySource } from './unseal-key-source.js';

export function createJwkUnsealSource(jwks: readonly JWK[]): UnsealKeySource {
  if (jwks.length === 0) throw new TypeError('jwk unseal mode needs at least one JWK');
  const keys = jwks.map(toUnsealKey);
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) {
    throw new TypeError('unseal JWKs must have distinct kids');
  }
  return { mode: 'jwk', canInitialize: true, keys: () => Promise.resolve(keys) };
}

function toUnsealKey(jwk: JWK, index: number): UnsealKey {
  let key: Uint8Array | undefined;
  try {
    key = jwk.kty === 'oct' && typeof jwk.k === 'string' ? base64url.decode(jwk.k) : undefined;
  } catch {
    key = undefined;
  }
  if (key?.length !== KEY_BYTES) {
    throw new TypeError(`unseal JWK ${index + 1} must be kty "oct" with a 256-bit "k"`);
  }
  if (typeof jwk.kid === 'string' && jwk.kid !== '') return { kid: jwk.kid, key };
  // RFC 7638 §3.2: the required members of an oct key, in lexicographic order.
  const canonical = JSON.stringify({ k: jwk.k, kty: 'oct' });
  return { kid: base64url.encode(createHash('sha256').update(canonical).digest()), key };
}
