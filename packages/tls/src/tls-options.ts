// Node TLS options for servers and clients of the suite: TLS 1.3 only (ARCHITECTURE §6) and
// restricted to FIPS 140-3 approved primitives: AES-GCM suites (no ChaCha20-Poly1305), NIST
// curves for key exchange (no X25519), ECDSA/RSA-PSS handshake signatures.
import type { ServerOptions } from 'node:https';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { TlsMaterial } from './tls-material.js';

/** RFC 8446 §9.1 suites that are also FIPS-approved (SP 800-52r2 §3.3.1.2). */
export const TLS_CIPHERSUITES = 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256';
/** Key exchange groups: NIST P-curves only (SP 800-52r2 §3.3.2). */
export const TLS_GROUPS = 'P-256:P-384:P-521';
/**
 * Signature schemes (RFC 8446 §4.2.3): ECDSA and RSA-PSS for the handshake; RSA PKCS#1 v1.5
 * stays listed because it may still sign certificates in a chain, never the handshake itself.
 */
export const TLS_SIGALGS = [
  'ecdsa_secp256r1_sha256',
  'ecdsa_secp384r1_sha384',
  'ecdsa_secp521r1_sha512',
  'rsa_pss_rsae_sha256',
  'rsa_pss_rsae_sha384',
  'rsa_pss_rsae_sha512',
  'rsa_pss_pss_sha256',
  'rsa_pss_pss_sha384',
  'rsa_pss_pss_sha512',
  'rsa_pkcs1_sha256',
  'rsa_pkcs1_sha384',
  'rsa_pkcs1_sha512',
].join(':');

const COMMON = {
  minVersion: 'TLSv1.3',
  ciphers: TLS_CIPHERSUITES,
  ecdhCurve: TLS_GROUPS,
  sigalgs: TLS_SIGALGS,
} as const;

/** Options for `https.createServer` (or fastify's `https` option) from loaded material. */
export function serverTlsOptions(material: TlsMaterial): ServerOptions {
  const options: ServerOptions = { ...COMMON, key: material.key, cert: material.cert };
  switch (material.clientAuth) {
    case 'none':
      return { ...options, requestCert: false };
    case 'optional':
      // Request a certificate but let the handshake finish without one: the application reads
      // `socket.authorized` / `getPeerCertificate()` and decides per route.
      return {
        ...options,
        ca: material.clientCa ?? [],
        requestCert: true,
        rejectUnauthorized: false,
      };
    case 'required':
      return {
        ...options,
        ca: material.clientCa ?? [],
        requestCert: true,
        rejectUnauthorized: true,
      };
  }
}

export interface ClientTlsOptionsInput {
  /** Trust anchors (PEM); the system store is not used, so verification trusts only these. */
  readonly ca: string | readonly string[];
  /** Client certificate chain (PEM) for mTLS. */
  readonly cert?: string;
  readonly key?: string;
  /** Name to verify and send as SNI; IP addresses are verified but not sent (RFC 6066 §3). */
  readonly servername?: string;
}

/** Options for `tls.connect` / `https.request` that verify the server against `ca`. */
export function clientTlsOptions(input: ClientTlsOptionsInput): ConnectionOptions {
  const ca = typeof input.ca === 'string' ? [input.ca] : [...input.ca];
  if (ca.length === 0)
    throw new TypeError('clientTlsOptions: ca must hold at least one trust anchor');
  const options: ConnectionOptions = { ...COMMON, ca, rejectUnauthorized: true };
  if (input.cert !== undefined) options.cert = input.cert;
  if (input.key !== undefined) options.key = input.key;
  if (input.servername !== undefined && isIP(input.servername) === 0)
    options.servername = input.servername;
  return options;
}
