// PEM text helpers (RFC 7468): splitting bundles into certificates, encoding DER, and telling
// trust anchors (self-signed roots) from the chain certificates a server sends.
import { X509Certificate } from 'node:crypto';

/** Splits PEM text into its CERTIFICATE blocks (RFC 7468 §5), in order. */
export function splitPemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** True for a self-issued certificate signed by its own key: a root, a trust anchor. */
export function isSelfSigned(pem: string): boolean {
  const cert = new X509Certificate(pem);
  return cert.checkIssued(cert) && cert.verify(cert.publicKey);
}

export function withNewline(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}

/** Encodes DER as PEM with 64-character lines (RFC 7468 §2). */
export function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
