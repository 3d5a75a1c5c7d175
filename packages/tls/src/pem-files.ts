// Reading and writing PEM files for TLS config: every read failure becomes a TlsConfigError
// naming the config key and the path (never the contents), and writes are atomic (temp file +
// rename) with explicit modes, so a crash never leaves a half-written key or certificate.
import { X509Certificate, randomBytes, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { splitPemCertificates } from './pem.js';
import { parsePrivateKeyPem, signingAlgorithmFor } from './signing-key.js';
import { TlsConfigError } from './tls-config-error.js';

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'file not found',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
};

/** Reads a text file named by config key `key`. */
export async function readConfigFile(key: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new TlsConfigError(key, `${READ_ERRORS[code] ?? `cannot read file (${code})`}: ${path}`);
  }
}

/** Parsed certificates of a PEM file, in file order, with their PEM texts. */
export interface PemCertificates {
  readonly pems: string[];
  readonly certs: X509Certificate[];
}

/** Parses PEM certificates; `key` names the config key in errors. At least one is required. */
export function parseCertificates(key: string, path: string, text: string): PemCertificates {
  const pems = splitPemCertificates(text).map((pem) => `${pem}\n`);
  if (pems.length === 0) throw new TlsConfigError(key, `no PEM certificate found in ${path}`);
  const certs = pems.map((pem, index) => {
    try {
      return new X509Certificate(pem);
    } catch {
      throw new TlsConfigError(
        key,
        `certificate #${index + 1} in ${path} is not a valid X.509 certificate`,
      );
    }
  });
  return { pems, certs };
}

export async function readCertificates(key: string, path: string): Promise<PemCertificates> {
  return parseCertificates(key, path, await readConfigFile(key, path));
}

/** Reads an unencrypted PEM private key and checks it is FIPS-allowed. */
export async function readPrivateKey(key: string, path: string): Promise<KeyObject> {
  const privateKey = parsePrivateKeyPem(await readConfigFile(key, path));
  if (privateKey === undefined) {
    throw new TlsConfigError(key, `not an unencrypted PEM private key (PKCS#8 expected): ${path}`);
  }
  const algorithm = signingAlgorithmFor(privateKey);
  if (typeof algorithm === 'string') throw new TlsConfigError(key, `${algorithm}: ${path}`);
  return privateKey;
}

// Signature algorithms FIPS 186-5 allows on certificates we send: ECDSA and RSA with SHA-2.
const ALLOWED_SIGNATURE_OIDS = new Set([
  '1.2.840.10045.4.3.2', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3', // ecdsa-with-SHA384
  '1.2.840.10045.4.3.4', // ecdsa-with-SHA512
  '1.2.840.113549.1.1.10', // RSASSA-PSS
  '1.2.840.113549.1.1.11', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13', // sha512WithRSAEncryption
]);

/** Checks that `cert` (found in `path`) is valid at `now`. */
export function checkDates(key: string, path: string, cert: X509Certificate, now: Date): void {
  if (cert.validToDate < now) {
    throw new TlsConfigError(
      key,
      `${certificateLabel(cert, path)} expired on ${cert.validToDate.toISOString()}`,
    );
  }
  if (cert.validFromDate > now) {
    throw new TlsConfigError(
      key,
      `${certificateLabel(cert, path)} is not valid before ${cert.validFromDate.toISOString()}`,
    );
  }
}

/** Checks validity at `now` and the FIPS algorithms of a certificate a server sends. */
export function checkCertificate(
  key: string,
  path: string,
  cert: X509Certificate,
  now: Date,
): void {
  checkDates(key, path, cert, now);
  if (!ALLOWED_SIGNATURE_OIDS.has(cert.signatureAlgorithmOid)) {
    const algorithm = cert.signatureAlgorithm ?? cert.signatureAlgorithmOid;
    throw new TlsConfigError(
      key,
      `${certificateLabel(cert, path)} is signed with ${algorithm}, not a FIPS-allowed algorithm`,
    );
  }
  const keyCheck = signingAlgorithmFor(cert.publicKey);
  if (typeof keyCheck === 'string')
    throw new TlsConfigError(key, `${certificateLabel(cert, path)}: ${keyCheck}`);
}

/** Checks each certificate is issued and signed by the next one (RFC 8446 §4.4.2 order). */
export function checkChainOrder(
  key: string,
  path: string,
  certs: readonly X509Certificate[],
): void {
  certs.forEach((cert, index) => {
    const issuer = certs[index + 1];
    if (issuer !== undefined && !(cert.checkIssued(issuer) && cert.verify(issuer.publicKey))) {
      throw new TlsConfigError(
        key,
        `certificate #${index + 2} in ${path} did not issue certificate #${index + 1}: list the leaf first, then each issuer in order`,
      );
    }
  });
}

/** A certificate named for humans: its subject and file. */
export function certificateLabel(cert: X509Certificate, path: string): string {
  return `certificate "${cert.subject.replace(/\n/g, ', ')}" in ${path}`;
}

/** Writes `data` atomically with `mode`, creating the directory (0755) when missing. */
export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, data, { mode, flag: 'wx' });
    await chmod(temp, mode); // the umask may have narrowed the mode; ca.pem must stay 0644
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
