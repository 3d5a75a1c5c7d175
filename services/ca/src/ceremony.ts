// The offline-root ceremony (issue 5: `cryptoutil ca init` and `cryptoutil ca sign-csr`): a
// self-signed root whose key the operator takes away, an intermediate key with a CSR asking for
// CA:TRUE, and the root's signature over that CSR. Text in, PEM text out: the CLI reads and writes
// the files. Every mistake an operator can make is a CaError naming the input or the rule.
import type { z } from 'zod';
import type { caDefinitionSchema } from './config.js';
import { CaError } from './domain/ca-error.js';
import type { KeyInfo } from './domain/certificate-request.js';
import {
  exportPkcs8,
  generateCaKeys,
  importCaPrivateKey,
  type CaKeySpec,
} from './crypto/ca-keys.js';
import {
  certificateInfo,
  createCaCertificate,
  createCaCsr,
  createRootCertificate,
  type CertificateInfo,
} from './crypto/ca-certificates.js';
import { parseCsr } from './crypto/csr.js';
import { encodeName, nameToString } from './crypto/distinguished-name.js';
import { fromPem, toPem } from './crypto/pem.js';
import type { CryptoKey } from './crypto/signing-ca.js';
import { caUrlsOf } from './service/ca-urls.js';

/** The key types `ca init` offers, for the root and the intermediate alike. */
export const CEREMONY_KEYS = {
  'ec-p384': { kty: 'EC', curve: 'P-384' },
  'ec-p256': { kty: 'EC', curve: 'P-256' },
  'rsa-4096': { kty: 'RSA', bits: 4096 },
  'rsa-3072': { kty: 'RSA', bits: 3072 },
} as const satisfies Record<string, CaKeySpec>;

export type CeremonyKey = keyof typeof CEREMONY_KEYS;

/**
 * The smallest RSA modulus a CA key may have here: 2048-bit RSA gives 112-bit security, which
 * NIST SP 800-131A Rev. 2 §1.2 / SP 800-57 Part 1 Rev. 5 Table 4 allow only through 2030, and a
 * CA certificate signed today outlives that.
 */
export const MIN_CA_RSA_BITS = 3072;

const MAX_VALIDITY_DAYS = 36_500;
const MAX_PATH_LENGTH = 10;
const CA_ID = /^[a-z0-9][a-z0-9-]{0,62}$/; // the `ca.hierarchy[].id` rule of config.ts

export interface CeremonyInitOptions {
  /** RFC 4514, e.g. `CN=Example Root CA, O=Example`. */
  readonly rootSubject: string;
  readonly intermediateSubject: string;
  readonly key: CeremonyKey;
  /** Validity of the root certificate. */
  readonly validityDays: number;
  readonly now?: Date;
}

/** The four files of `ca init`, PEM each. */
export interface CeremonyInitFiles {
  /** root.pem: the self-signed root CA certificate. */
  readonly rootCertificatePem: string;
  /** root-key.pem: the root's PKCS#8 private key (RFC 5958), to be kept offline. */
  readonly rootKeyPem: string;
  /** intermediate-key.pem: the PKCS#8 key of the intermediate that will run online. */
  readonly intermediateKeyPem: string;
  /** intermediate.csr: PKCS#10 (RFC 2986) asking for basicConstraints cA TRUE. */
  readonly intermediateCsrPem: string;
}

export interface SignCaCsrOptions {
  /** PEM certificate of the signing CA (the offline root). */
  readonly caCertificatePem: string;
  /** PEM PKCS#8 (`PRIVATE KEY`) of the signing CA. */
  readonly caKeyPem: string;
  /** The subordinate CA's CSR, PEM or DER. */
  readonly csr: string | Uint8Array;
  readonly validityDays: number;
  /** basicConstraints pathLenConstraint of the new CA (RFC 5280 §4.2.1.9). */
  readonly pathLength: number;
  /** The CA product's revocation base URL (`ca.revocation.baseUrl`): adds AIA and CRLDP. */
  readonly baseUrl?: string;
  /** The signing CA's id in that product's `ca.hierarchy` (default `root`). */
  readonly issuerId?: string;
  readonly now?: Date;
}

export interface SignedCa {
  readonly certificatePem: string;
  readonly info: CertificateInfo;
}

function checkWhole(value: number, min: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CaError('invalid-request', `${field} must be a whole number from ${min} to ${max}`);
  }
}

function keyPem(pkcs8: Uint8Array): string {
  return toPem(pkcs8, 'PRIVATE KEY');
}

/** `ca init`: the root certificate and key, and the intermediate's key and CSR. */
export async function createCeremony(o: CeremonyInitOptions): Promise<CeremonyInitFiles> {
  const spec = (CEREMONY_KEYS as Record<string, CaKeySpec | undefined>)[o.key];
  if (spec === undefined) {
    const names = Object.keys(CEREMONY_KEYS).join(', ');
    throw new CaError('key-not-allowed', `key ${o.key} is not one of ${names}`);
  }
  checkWhole(o.validityDays, 1, MAX_VALIDITY_DAYS, 'validityDays');
  const [root, intermediate] = await Promise.all([generateCaKeys(spec), generateCaKeys(spec)]);
  const rootCertificate = await createRootCertificate({
    subject: o.rootSubject,
    keys: root,
    validityDays: o.validityDays,
    ...(o.now === undefined ? {} : { now: o.now }),
  });
  const intermediateCsrPem = await createCaCsr({
    subject: o.intermediateSubject,
    keys: intermediate,
  });
  return {
    rootCertificatePem: toPem(rootCertificate, 'CERTIFICATE'),
    rootKeyPem: keyPem(await exportPkcs8(root.privateKey)),
    intermediateKeyPem: keyPem(await exportPkcs8(intermediate.privateKey)),
    intermediateCsrPem,
  };
}

/** A CA key strong enough to sign under for years: any P-curve or Ed25519, RSA ≥ 3072 bits. */
export function checkCaKeyStrength(key: KeyInfo): void {
  if (key.kty === 'RSA' && key.bits < MIN_CA_RSA_BITS) {
    throw new CaError(
      'key-not-allowed',
      `the CSR key is RSA ${key.bits}: a CA key needs at least ${MIN_CA_RSA_BITS} bits (NIST SP 800-131A)`,
    );
  }
}

function pemOf(text: string, label: string, what: string): Uint8Array {
  try {
    return fromPem(text, label);
  } catch (err) {
    throw new CaError('invalid-request', `${what}: ${(err as Error).message}`, { cause: err });
  }
}

async function loadIssuer(
  certificatePem: string,
  keyPemText: string,
): Promise<{ certificate: Uint8Array; privateKey: CryptoKey }> {
  const certificate = pemOf(certificatePem, 'CERTIFICATE', 'the CA certificate');
  // RFC 5280 §4.2.1.9: only a certificate with cA TRUE may sign certificates.
  if (!certificateInfo(certificate).isCa) {
    throw new CaError('invalid-request', 'the CA certificate is not a CA certificate (cA FALSE)');
  }
  if (keyPemText.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
    throw new CaError(
      'invalid-request',
      'the CA key is an encrypted PKCS#8 key: decrypt it first (openssl pkcs8 -in … -out …)',
    );
  }
  const pkcs8 = pemOf(keyPemText, 'PRIVATE KEY', 'the CA key');
  try {
    return { certificate, privateKey: await importCaPrivateKey(pkcs8, certificate) };
  } catch (err) {
    throw new CaError(
      'invalid-request',
      'the CA key is not the private key of the CA certificate',
      {
        cause: err,
      },
    );
  }
}

/**
 * `ca sign-csr`: the signing CA (the offline root) certifies the CSR's key as a CA: critical
 * basicConstraints cA TRUE with `pathLength`, critical keyUsage keyCertSign and cRLSign, SKI and
 * AKI, and with `baseUrl` the signing CA's certificate (AIA caIssuers, RFC 5280 §4.2.2.1) and CRL
 * (CRLDP, §4.2.1.13) at the URLs the CA product serves. The CSR's signature must verify (RFC 2986
 * §4.2) and it must ask for cA TRUE; the subject is the CSR's.
 */
export async function signCaCsr(o: SignCaCsrOptions): Promise<SignedCa> {
  checkWhole(o.validityDays, 1, MAX_VALIDITY_DAYS, 'validityDays');
  checkWhole(o.pathLength, 0, MAX_PATH_LENGTH, 'pathLength');
  const issuerId = o.issuerId ?? 'root';
  if (!CA_ID.test(issuerId)) {
    throw new CaError(
      'invalid-request',
      `issuer id ${issuerId}: lowercase letters, digits and dashes`,
    );
  }
  const urls = o.baseUrl === undefined ? undefined : caUrlsOf(checkBaseUrl(o.baseUrl));
  const issuer = await loadIssuer(o.caCertificatePem, o.caKeyPem);
  const csr = await parseCsr(o.csr);
  if (!csr.requestsCa) {
    throw new CaError(
      'profile-violation',
      'the CSR does not ask for a CA certificate (basicConstraints cA TRUE); it is not an intermediate CSR',
    );
  }
  checkCaKeyStrength(csr.key);
  const certificate = await createCaCertificate({
    // The CSR's subject as RFC 4514 text; createCaCertificate encodes it back the same way.
    subject: nameToString(encodeName(csr.subject)),
    publicKey: csr.spki,
    issuer,
    validityDays: o.validityDays,
    pathLength: o.pathLength,
    ...(o.now === undefined ? {} : { now: o.now }),
    // AIA caIssuers only: the CA serves the root's certificate, but cannot sign CRLs for a root
    // whose key stays offline, so a CRLDP would name a CRL nobody publishes.
    ...(urls === undefined ? {} : { caIssuersUrl: urls.caIssuers(issuerId) }),
  });
  return { certificatePem: toPem(certificate, 'CERTIFICATE'), info: certificateInfo(certificate) };
}

/** The `ca.revocation.baseUrl` rule: an absolute http or https URL. */
function checkBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CaError('invalid-request', `base URL ${text} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CaError('invalid-request', `base URL ${text} must be http or https`);
  }
  return text;
}

export interface CeremonyHierarchyOptions {
  readonly rootSubject: string;
  readonly intermediateSubject: string;
  /** root.pem, the intermediate's signed certificate and its key, as the CA server sees them. */
  readonly rootCertificateFile: string;
  readonly intermediateCertificateFile: string;
  readonly intermediateKeyFile: string;
  readonly rootId?: string;
  readonly intermediateId?: string;
}

/**
 * The `ca.hierarchy` that imports a ceremony's CAs: the root without its key (offline: listed,
 * served for AIA, never signing) and the intermediate with its key, issuing end-entity
 * certificates. The subjects are only labels here: an imported CA keeps its certificate's.
 */
export function ceremonyHierarchy(
  o: CeremonyHierarchyOptions,
): z.input<typeof caDefinitionSchema>[] {
  const rootId = o.rootId ?? 'root';
  return [
    { id: rootId, subject: o.rootSubject, import: { certificateFile: o.rootCertificateFile } },
    {
      id: o.intermediateId ?? 'issuing',
      parent: rootId,
      subject: o.intermediateSubject,
      issuing: true,
      import: { certificateFile: o.intermediateCertificateFile, keyFile: o.intermediateKeyFile },
    },
  ];
}
