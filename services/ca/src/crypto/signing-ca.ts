// A CA able to sign: its certificate and its private key as a non-extractable WebCrypto key,
// and the signature algorithm that key signs with (RFC 5758 §3.2 ECDSA with the hash that
// matches the curve; RSASSA-PKCS1-v1_5 with SHA-256 for RSA, as the CA/Browser Forum baseline
// requirements §7.1.3.2 allow; Ed25519 per RFC 8410). Certificates, CRLs and OCSP responses all
// sign through this.
import type { webcrypto } from 'node:crypto';

export type CryptoKey = webcrypto.CryptoKey;

export interface SigningCa {
  /** The CA's certificate, DER. */
  readonly certificate: Uint8Array;
  readonly privateKey: CryptoKey;
}

export type SignatureAlgorithm =
  | { readonly name: 'ECDSA'; readonly hash: 'SHA-256' | 'SHA-384' | 'SHA-512' }
  | { readonly name: 'RSASSA-PKCS1-v1_5'; readonly hash: 'SHA-256' }
  | { readonly name: 'Ed25519' };

const EC_HASH = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' } as const;

/** The signature algorithm a CA key signs with. */
export function signatureAlgorithmOf(key: CryptoKey): SignatureAlgorithm {
  const algorithm = key.algorithm as { name: string; namedCurve?: string };
  switch (algorithm.name) {
    case 'ECDSA': {
      const hash = EC_HASH[algorithm.namedCurve as keyof typeof EC_HASH] as
        (typeof EC_HASH)[keyof typeof EC_HASH] | undefined;
      if (hash === undefined) throw new TypeError(`unsupported curve ${algorithm.namedCurve}`);
      return { name: 'ECDSA', hash };
    }
    case 'RSASSA-PKCS1-v1_5':
      return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case 'Ed25519':
      return { name: 'Ed25519' };
    default:
      throw new TypeError(`unsupported CA key algorithm ${algorithm.name}`);
  }
}
