// Keys for certificates: generation of ECDSA key pairs, import of PEM private keys as WebCrypto
// signing keys, and the FIPS allow-list (FIPS 186-5 ECDSA P-256/P-384/P-521, RSA >= 2048 bits)
// every certificate and key of this package must pass.
import { createPrivateKey, createPublicKey, type KeyObject, webcrypto } from 'node:crypto';
import { toPem } from './pem.js';
import type { KeyAlgorithm } from './tls-config-schema.js';

type SigningAlgorithm = webcrypto.EcdsaParams | webcrypto.RsaHashedImportParams;

/** A private key ready to sign certificates, with the public half and the algorithm to use. */
export interface SigningKey {
  readonly privateKey: webcrypto.CryptoKey;
  readonly publicKey: webcrypto.CryptoKey;
  /** WebCrypto algorithm (including the hash) used to sign with this key. */
  readonly algorithm: SigningAlgorithm;
}

// Hash strength matched to the curve (RFC 8446 §4.2.3 signature schemes pair them the same way).
const CURVE_HASH: Readonly<Record<string, string>> = {
  'P-256': 'SHA-256',
  'P-384': 'SHA-384',
  'P-521': 'SHA-512',
};
const NODE_CURVES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

export const MIN_RSA_BITS = 2048;

/** Generates an extractable ECDSA key pair for `keyAlgorithm`. */
export async function generateSigningKey(keyAlgorithm: KeyAlgorithm): Promise<SigningKey> {
  const namedCurve = keyAlgorithm === 'ECDSA-P384' ? 'P-384' : 'P-256';
  const algorithm = { name: 'ECDSA', namedCurve, hash: CURVE_HASH[namedCurve] ?? 'SHA-256' };
  const pair = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, algorithm };
}

/**
 * Returns the WebCrypto signing algorithm for a key, or a reason it is not FIPS-allowed.
 * RSA keys sign with PKCS#1 v1.5 SHA-256, the certificate signature every TLS stack accepts.
 */
export function signingAlgorithmFor(key: KeyObject): SigningAlgorithm | string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const curve = NODE_CURVES[details.namedCurve ?? ''];
    const hash = curve === undefined ? undefined : CURVE_HASH[curve];
    if (curve === undefined || hash === undefined) {
      return `EC curve ${details.namedCurve ?? 'unknown'} is not allowed (FIPS: P-256, P-384, P-521)`;
    }
    return { name: 'ECDSA', namedCurve: curve, hash } as webcrypto.EcdsaParams;
  }
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS)
      return `RSA key of ${bits} bits is too short (FIPS: at least ${MIN_RSA_BITS})`;
    return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  }
  return `key type ${key.asymmetricKeyType ?? 'unknown'} is not allowed (FIPS: ECDSA P-256/P-384/P-521 or RSA >= ${MIN_RSA_BITS})`;
}

/** Imports a private KeyObject as a signing key; returns the refusal reason when not allowed. */
export function toSigningKey(key: KeyObject): SigningKey | string {
  const algorithm = signingAlgorithmFor(key);
  if (typeof algorithm === 'string') return algorithm;
  const importAlgorithm = { ...algorithm } as
    webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams;
  const privateKey = key.toCryptoKey(importAlgorithm, false, ['sign']);
  const publicKey = createPublicKey(key).toCryptoKey(importAlgorithm, true, ['verify']);
  return { privateKey, publicKey, algorithm };
}

/** Parses a PEM private key; undefined when the text is not an unencrypted PEM key. */
export function parsePrivateKeyPem(pem: string): KeyObject | undefined {
  if (!pem.includes('PRIVATE KEY-----')) return undefined;
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return undefined;
  }
}

/** Exports a private key as PKCS#8 PEM (RFC 5958, RFC 7468 §10). */
export async function toPkcs8Pem(privateKey: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', privateKey));
  return toPem('PRIVATE KEY', der);
}
