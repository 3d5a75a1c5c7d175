// Issues end-entity certificates from a CA: TLS server leaves (auto and mixed modes, `tls init`)
// and TLS client certificates for mTLS. The key of every leaf is generated here and returned
// once as PKCS#8 PEM; nothing is written to disk.
import { X509Certificate as NodeCertificate, type KeyObject } from 'node:crypto';
import { createCertificate, keyIdentifier, type CertificateIssuer } from './create-certificate.js';
import { generateSigningKey, parsePrivateKeyPem, toPkcs8Pem, toSigningKey } from './signing-key.js';
import { isSelfSigned, splitPemCertificates, withNewline } from './pem.js';
import type { KeyAlgorithm } from './tls-config-schema.js';
import { x509 } from './x509.js';

/** Clock skew tolerated between hosts: certificates start this much before "now". */
export const BACKDATE_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The names every server certificate carries, so local clients always verify. */
export const DEFAULT_NAMES = ['localhost', '127.0.0.1', '::1'] as const;

/** A CA ready to sign: its certificate (parsed), signing key and validity end. */
export interface LoadedIssuer extends CertificateIssuer {
  readonly notAfter: Date;
}

export interface IssuedCertificate {
  /** The leaf certificate alone (PEM). */
  readonly cert: string;
  /** The leaf's private key, PKCS#8 PEM. */
  readonly key: string;
}

/** The validity window: backdated for skew, never ending after the issuer (RFC 5280 §6.1.3). */
export function validityWindow(
  now: Date,
  days: number,
  issuerNotAfter?: Date,
): { notBefore: Date; notAfter: Date } {
  const notAfter = new Date(now.getTime() + days * DAY_MS);
  const capped =
    issuerNotAfter !== undefined && issuerNotAfter < notAfter ? issuerNotAfter : notAfter;
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: capped };
}

/** SANs of a server certificate: the local defaults plus `extra`, lower-cased, without repeats. */
export function serverNames(extra: readonly string[] = []): string[] {
  return [...new Set([...DEFAULT_NAMES, ...extra.map((n) => n.trim().toLowerCase())])];
}

/** Turns a CA certificate and its (already matched) private key into an issuer. */
export async function toIssuer(certPem: string, key: KeyObject): Promise<LoadedIssuer> {
  const cert = new x509.X509Certificate(certPem);
  const signing = toSigningKey(key);
  if (typeof signing === 'string') throw new TypeError(`issuer key: ${signing}`);
  // The AKI must repeat the issuer's own SKI byte for byte (RFC 5280 §4.2.1.1), whatever
  // method computed it; only a CA certificate without SKI gets one computed here.
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const keyId = ski ?? (await keyIdentifier(signing.publicKey));
  return { name: cert.subjectName, key: signing, keyId, notAfter: cert.notAfter };
}

export interface IssueServerOptions {
  readonly issuer: LoadedIssuer;
  readonly names?: readonly string[];
  readonly validityDays?: number;
  readonly keyAlgorithm?: KeyAlgorithm;
  readonly now?: Date;
}

/** Issues a TLS server leaf (EKU serverAuth) for `localhost`, loopback IPs and `names`. */
export async function issueServerCertificate(
  options: IssueServerOptions,
): Promise<IssuedCertificate> {
  const names = serverNames(options.names);
  const key = await generateSigningKey(options.keyAlgorithm ?? 'ECDSA-P256');
  const window = validityWindow(
    options.now ?? new Date(),
    options.validityDays ?? 90,
    options.issuer.notAfter,
  );
  const cert = await createCertificate({
    profile: 'server',
    commonName: names[0] ?? 'localhost',
    publicKey: key.publicKey,
    issuer: options.issuer,
    names,
    ...window,
  });
  return { cert: withNewline(cert.toString('pem')), key: await toPkcs8Pem(key.privateKey) };
}

export interface IssueClientOptions {
  /** The issuing CA certificate (PEM); further certificates after it form its chain. */
  readonly issuerCert: string;
  /** The issuing CA's private key (PEM). */
  readonly issuerKey: string;
  readonly commonName: string;
  readonly validityDays?: number;
  readonly keyAlgorithm?: KeyAlgorithm;
  readonly now?: Date;
}

/** Issues a TLS client certificate (EKU clientAuth) for mTLS; `chain` is leaf + issuer chain. */
export async function issueClientCertificate(
  options: IssueClientOptions,
): Promise<IssuedCertificate & { readonly chain: string }> {
  const issuerChain = splitPemCertificates(options.issuerCert);
  const issuerPem = issuerChain[0];
  const issuerKey = parsePrivateKeyPem(options.issuerKey);
  if (issuerPem === undefined)
    throw new TypeError('issueClientCertificate: issuerCert holds no PEM certificate');
  if (issuerKey === undefined || !new NodeCertificate(issuerPem).checkPrivateKey(issuerKey)) {
    throw new TypeError('issueClientCertificate: issuerKey is not the private key of issuerCert');
  }
  const issuer = await toIssuer(issuerPem, issuerKey);
  const key = await generateSigningKey(options.keyAlgorithm ?? 'ECDSA-P256');
  const cert = await createCertificate({
    profile: 'client',
    commonName: options.commonName,
    publicKey: key.publicKey,
    issuer,
    ...validityWindow(options.now ?? new Date(), options.validityDays ?? 90, issuer.notAfter),
  });
  const leaf = cert.toString('pem');
  const chain = [leaf, ...issuerChain.filter((pem) => !isSelfSigned(pem))]
    .map(withNewline)
    .join('');
  return { cert: withNewline(leaf), key: await toPkcs8Pem(key.privateKey), chain };
}
