// CA keys: generation (EC P-256/384/521 or RSA), one PKCS#8 export for storage under the
// barrier, import as a non-extractable signing key checked against the CA certificate, the
// classification of public keys the profile rules see, and the signature over a to-be-signed
// structure that certificates, CSRs and CRLs share (RFC 5280 §4.1.1.2 / §5.1.1.2).
import { createPublicKey, type KeyObject, webcrypto } from 'node:crypto';
import { CaError } from '../domain/ca-error.js';
import type { KeyInfo } from '../domain/certificate-request.js';
import { signatureAlgorithmOf, type CryptoKey } from './signing-ca.js';
import { certificateFields, derBitString, derNull, derOid, derSequence } from './pem.js';

const { subtle } = webcrypto;

export type CaKeySpec =
  | { readonly kty: 'EC'; readonly curve: 'P-256' | 'P-384' | 'P-521' }
  | { readonly kty: 'RSA'; readonly bits: 2048 | 3072 | 4096 };

const NODE_CURVES: Readonly<Record<string, 'P-256' | 'P-384' | 'P-521'>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** A new CA key pair; the private key is extractable only so it can be exported once. */
export async function generateCaKeys(spec: CaKeySpec): Promise<webcrypto.CryptoKeyPair> {
  const algorithm =
    spec.kty === 'EC'
      ? { name: 'ECDSA', namedCurve: spec.curve }
      : {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: spec.bits,
          publicExponent: Uint8Array.of(1, 0, 1), // 65537 (CA/B BR §6.1.6)
          hash: 'SHA-256',
        };
  return subtle.generateKey(algorithm, true, ['sign', 'verify']);
}

/** The private key as PKCS#8 DER (RFC 5958), for storage under the barrier. */
export async function exportPkcs8(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle.exportKey('pkcs8', key));
}

/**
 * What the profile rules see of a SubjectPublicKeyInfo. EC keys on the NIST curves (RFC 5480),
 * RSA keys with an odd exponent ≥ 3 (CA/B BR §6.1.6) and Ed25519 (RFC 8410); anything else
 * (DSA, X25519, secp256k1, RSASSA-PSS keys, …) is `key-not-allowed`. Throws the Node error
 * when the bytes are not a public key at all.
 */
export function publicKeyInfo(spki: Uint8Array): KeyInfo {
  return keyInfoOf(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }));
}

/** publicKeyInfo of a Node public KeyObject. */
export function keyInfoOf(key: KeyObject): KeyInfo {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'ec') {
    const curve = NODE_CURVES[details.namedCurve ?? ''];
    if (curve !== undefined) return { kty: 'EC', curve };
    const name = details.namedCurve ?? '(explicit)';
    throw new CaError('key-not-allowed', `EC curve ${name} is not allowed`);
  }
  if (type === 'rsa') {
    const exponent = details.publicExponent ?? 0n;
    if (exponent < 3n || exponent % 2n === 0n) {
      throw new CaError('key-not-allowed', `RSA public exponent ${exponent} is not allowed`);
    }
    return { kty: 'RSA', bits: details.modulusLength ?? 0 };
  }
  if (type === 'ed25519') return { kty: 'OKP', curve: 'Ed25519' };
  throw new CaError('key-not-allowed', `key type ${type} is not allowed`);
}

function importAlgorithm(
  info: KeyInfo,
): webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams | webcrypto.Algorithm {
  switch (info.kty) {
    case 'EC':
      return { name: 'ECDSA', namedCurve: info.curve };
    case 'RSA':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case 'OKP':
      return { name: 'Ed25519' };
  }
}

/**
 * Imports a CA private key (PKCS#8) as a non-extractable signing key for the algorithm of the
 * certificate's public key. WebCrypto cannot derive the public key from a private one, so a
 * test signature must verify under the certificate's key: a TypeError when it does not.
 */
export async function importCaPrivateKey(
  pkcs8: Uint8Array,
  certificate: Uint8Array,
): Promise<CryptoKey> {
  const { spki } = certificateFields(certificate);
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  try {
    const algorithm = importAlgorithm(publicKeyInfo(spki));
    privateKey = await subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
    publicKey = await subtle.importKey('spki', spki, algorithm, false, ['verify']);
  } catch (err) {
    throw new TypeError('the CA private key cannot be imported for its certificate', {
      cause: err,
    });
  }
  const probe = new TextEncoder().encode('cryptoutil CA key check');
  const params = signatureAlgorithmOf(privateKey);
  const signature = await subtle.sign(params, privateKey, probe);
  if (!(await subtle.verify(params, publicKey, signature, probe))) {
    throw new TypeError('the CA private key does not match the certificate public key');
  }
  return privateKey;
}

// RFC 5758 §3.2 (ECDSA: parameters absent), RFC 4055 §5 (PKCS#1 v1.5: NULL), RFC 8410 §3.
const SIGNATURE_OIDS = {
  'ECDSA/SHA-256': '1.2.840.10045.4.3.2',
  'ECDSA/SHA-384': '1.2.840.10045.4.3.3',
  'ECDSA/SHA-512': '1.2.840.10045.4.3.4',
  'RSASSA-PKCS1-v1_5/SHA-256': '1.2.840.113549.1.1.11',
  'Ed25519/': '1.3.101.112',
} as const;

/** The DER AlgorithmIdentifier of the signatures `key` makes. */
export function signatureAlgorithmDer(key: CryptoKey): Uint8Array {
  const algorithm = signatureAlgorithmOf(key);
  const hash = 'hash' in algorithm ? algorithm.hash : '';
  const oid = SIGNATURE_OIDS[`${algorithm.name}/${hash}` as keyof typeof SIGNATURE_OIDS];
  return algorithm.name === 'RSASSA-PKCS1-v1_5'
    ? derSequence(derOid(oid), derNull())
    : derSequence(derOid(oid));
}

/** An unsigned INTEGER's DER from big-endian magnitude octets. */
function derUnsigned(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const body = magnitude.subarray(start);
  const content = (body[0] ?? 0) & 0x80 ? Uint8Array.of(0, ...body) : body;
  return Uint8Array.of(0x02, content.length, ...content);
}

/** Signs `data`; ECDSA signatures become the DER Ecdsa-Sig-Value X.509 carries (RFC 5480 §2.2.3). */
export async function signBytes(key: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  const algorithm = signatureAlgorithmOf(key);
  const raw = new Uint8Array(await subtle.sign(algorithm, key, data));
  if (algorithm.name !== 'ECDSA') return raw;
  const half = raw.length / 2;
  return derSequence(derUnsigned(raw.subarray(0, half)), derUnsigned(raw.subarray(half)));
}

/** SEQUENCE { tbs, signatureAlgorithm, signatureValue }: a signed certificate, CSR or CRL. */
export async function signTbs(
  tbs: Uint8Array,
  key: CryptoKey,
  algorithm?: Uint8Array,
): Promise<Uint8Array> {
  const signature = await signBytes(key, tbs);
  return derSequence(tbs, algorithm ?? signatureAlgorithmDer(key), derBitString(signature));
}
