// Generates a complete local PKI for TLS: root CA -> intermediate CA -> server leaf, and writes
// it as PEM files (backs auto mode and `cryptoutil tls init`). The root private key never leaves
// this function: once the intermediate is signed nothing needs it, so it is dropped.
import { join } from 'node:path';
import { createCertificate, keyIdentifier } from './create-certificate.js';
import { issueServerCertificate, validityWindow } from './issue-certificate.js';
import { withNewline } from './pem.js';
import { writeFileAtomic } from './pem-files.js';
import { generateSigningKey, toPkcs8Pem } from './signing-key.js';
import type { KeyAlgorithm } from './tls-config-schema.js';

export const ROOT_VALIDITY_DAYS = 3650;
export const INTERMEDIATE_VALIDITY_DAYS = 1825;

export interface GenerateCertificateSetOptions {
  /** Extra SANs besides localhost, 127.0.0.1 and ::1. */
  readonly names?: readonly string[];
  /** Validity of the server leaf in days (default 90). */
  readonly validityDays?: number;
  readonly keyAlgorithm?: KeyAlgorithm;
  /** Word placed in the CA subject names, e.g. `auto` gives `cryptoutil auto root CA`. */
  readonly label?: string;
  readonly now?: Date;
}

/** PEM texts of a generated set. */
export interface CertificateSet {
  readonly rootCert: string;
  readonly intermediateCert: string;
  readonly intermediateKey: string;
  /** The server leaf alone. */
  readonly serverCert: string;
  /** Leaf then intermediate: what a TLS server sends (RFC 8446 §4.4.2). */
  readonly serverChain: string;
  readonly serverKey: string;
}

export async function generateCertificateSet(
  options: GenerateCertificateSetOptions = {},
): Promise<CertificateSet> {
  const now = options.now ?? new Date();
  const keyAlgorithm = options.keyAlgorithm ?? 'ECDSA-P256';
  const prefix = options.label === undefined ? 'cryptoutil' : `cryptoutil ${options.label}`;
  const rootKey = await generateSigningKey(keyAlgorithm);
  const root = await createCertificate({
    profile: 'root',
    commonName: `${prefix} root CA`,
    publicKey: rootKey.publicKey,
    selfKey: rootKey,
    ...validityWindow(now, ROOT_VALIDITY_DAYS),
  });
  const intermediateKey = await generateSigningKey(keyAlgorithm);
  const rootIssuer = {
    name: root.subjectName,
    key: rootKey,
    keyId: await keyIdentifier(rootKey.publicKey),
  };
  const intermediate = await createCertificate({
    profile: 'intermediate',
    commonName: `${prefix} intermediate CA`,
    publicKey: intermediateKey.publicKey,
    issuer: rootIssuer,
    ...validityWindow(now, INTERMEDIATE_VALIDITY_DAYS, root.notAfter),
  });
  const intermediateIssuer = {
    name: intermediate.subjectName,
    key: intermediateKey,
    keyId: await keyIdentifier(intermediateKey.publicKey),
    notAfter: intermediate.notAfter,
  };
  const server = await issueServerCertificate({
    issuer: intermediateIssuer,
    names: options.names ?? [],
    validityDays: options.validityDays ?? 90,
    keyAlgorithm,
    now,
  });
  const intermediateCert = withNewline(intermediate.toString('pem'));
  return {
    rootCert: withNewline(root.toString('pem')),
    intermediateCert,
    intermediateKey: await toPkcs8Pem(intermediateKey.privateKey),
    serverCert: withNewline(server.cert),
    serverChain: withNewline(server.cert) + intermediateCert,
    serverKey: server.key,
  };
}

export interface CertificateSetPaths {
  readonly ca: string;
  readonly intermediate: string;
  readonly intermediateKey: string;
  readonly server: string;
  readonly serverKey: string;
}

/** Writes the set into `dir` (created if missing); private keys get mode 0600, the rest 0644. */
export async function writeCertificateSet(
  dir: string,
  set: CertificateSet,
): Promise<CertificateSetPaths> {
  const paths: CertificateSetPaths = {
    ca: join(dir, 'ca.pem'),
    intermediate: join(dir, 'intermediate.pem'),
    intermediateKey: join(dir, 'intermediate-key.pem'),
    server: join(dir, 'server.pem'),
    serverKey: join(dir, 'server-key.pem'),
  };
  await writeFileAtomic(paths.intermediateKey, set.intermediateKey, 0o600);
  await writeFileAtomic(paths.serverKey, set.serverKey, 0o600);
  await writeFileAtomic(paths.intermediate, set.intermediateCert, 0o644);
  await writeFileAtomic(paths.server, set.serverChain, 0o644);
  await writeFileAtomic(paths.ca, set.rootCert, 0o644);
  return paths;
}
