// Builds one X.509 v3 certificate for a profile (root CA, intermediate CA, TLS server, TLS
// client) with the extensions RFC 5280 §4.2 and the CA/Browser Forum baseline requirements
// expect: critical basicConstraints and keyUsage, EKU on leaves, SKI/AKI, SANs, random serials.
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import type { SigningKey } from './signing-key.js';
import { x509 } from './x509.js';

export type CertificateProfile = 'root' | 'intermediate' | 'server' | 'client';

/** The CA that signs: its name exactly as encoded in its certificate, key and key identifier. */
export interface CertificateIssuer {
  readonly name: x509.Name | string;
  readonly key: SigningKey;
  readonly keyId: string;
}

export interface CreateCertificateOptions {
  readonly profile: CertificateProfile;
  readonly commonName: string;
  readonly publicKey: webcrypto.CryptoKey;
  /** The signing CA; omitted for a self-signed root (signed by `selfKey`). */
  readonly issuer?: CertificateIssuer;
  readonly selfKey?: SigningKey;
  /** Subject alternative names (DNS names or IP addresses), for server certificates. */
  readonly names?: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
}

const CA_USAGE = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;

/**
 * A positive serial of 128 random bits (CA/B BR §7.1: at least 64 bits from a CSPRNG). The
 * high bit is cleared so the DER INTEGER stays positive, and a zero first byte is avoided so
 * the encoding stays minimal (RFC 5280 §4.1.2.2: at most 20 octets).
 */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f || 0x01;
  return bytes.toString('hex');
}

/** RFC 7093 §2 method 1: the leftmost 160 bits of SHA-256 over the subjectPublicKey bits. */
export async function keyIdentifier(publicKey: webcrypto.CryptoKey): Promise<string> {
  const bits =
    publicKey.algorithm.name === 'ECDSA'
      ? Buffer.from(await webcrypto.subtle.exportKey('raw', publicKey))
      : KeyObject.from(publicKey).export({ type: 'pkcs1', format: 'der' });
  const digest = await webcrypto.subtle.digest('SHA-256', bits);
  return Buffer.from(digest).subarray(0, 20).toString('hex');
}

/** SAN entries: IP addresses as iPAddress, everything else as dNSName (RFC 5280 §4.2.1.6). */
export function subjectAltNames(names: readonly string[]): x509.JsonGeneralName[] {
  return names.map((value) => ({ type: isIP(value) === 0 ? 'dns' : 'ip', value }));
}

function profileExtensions(options: CreateCertificateOptions): x509.Extension[] {
  const { KeyUsageFlags, ExtendedKeyUsage } = x509;
  switch (options.profile) {
    case 'root':
      return [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(CA_USAGE, true),
      ];
    case 'intermediate':
      // pathLenConstraint 0: the intermediate issues end-entity certificates only.
      return [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(CA_USAGE, true),
      ];
    case 'server':
      // TLS 1.3 signs the handshake, so digitalSignature is the only key usage (RFC 8446 §4.4.2.2).
      return [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(subjectAltNames(options.names ?? [])),
      ];
    case 'client':
      return [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([ExtendedKeyUsage.clientAuth]),
      ];
  }
}

/**
 * Escapes an attribute value for a string DN (RFC 4514 §2.4). The string form is used because
 * @peculiar/x509 2.2.0 mangles JSON names whose values contain commas or quotes.
 */
export function escapeRdnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

/** Creates and signs the certificate; returns it as a parsed @peculiar/x509 certificate. */
export async function createCertificate(
  options: CreateCertificateOptions,
): Promise<x509.X509Certificate> {
  const subject = `CN=${escapeRdnValue(options.commonName)}, O=cryptoutil`;
  const ski = await keyIdentifier(options.publicKey);
  const signer = options.issuer?.key ?? options.selfKey;
  if (signer === undefined) throw new TypeError('createCertificate: issuer or selfKey is required');
  const extensions = [...profileExtensions(options), new x509.SubjectKeyIdentifierExtension(ski)];
  if (options.issuer !== undefined)
    extensions.push(new x509.AuthorityKeyIdentifierExtension(options.issuer.keyId));
  return x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: options.issuer?.name ?? subject,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    publicKey: options.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: signer.algorithm,
    extensions,
  });
}
