// CA certificates: a self-signed root, a subordinate CA signed by another CA, a CSR asking for
// CA:TRUE for an offline ceremony, and what the CA reads back from any certificate. Also the
// TBSCertificate encoder (RFC 5280 §4.1) and the issuer checks leaf issuance shares.
import { webcrypto } from 'node:crypto';
import { CaError } from '../domain/ca-error.js';
import type { KeyUsageName } from '../domain/certificate-request.js';
import { signatureAlgorithmDer, signTbs } from './ca-keys.js';
import {
  authorityInfoAccessExtension,
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  crlDistributionPointsExtension,
  keyIdentifier,
  keyUsageExtension,
  OID,
  subjectKeyIdentifierExtension,
} from './extensions.js';
import { encodeName, nameToString, parseDn } from './distinguished-name.js';
import {
  certificateFields,
  der,
  derChildren,
  derContent,
  derOid,
  derSequence,
  derSet,
  derSmallInteger,
  derTime,
  toPem,
  type CertificateFields,
} from './pem.js';
import { newSerial, normalizeSerial, serialBytes, serialFromBytes } from './serial.js';
import type { CryptoKey, SigningCa } from './signing-ca.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** RFC 5280 §4.2.1.3 / CA/B BR §7.1.2.1.b: a CA signs certificates, CRLs and OCSP responses. */
const CA_KEY_USAGE: readonly KeyUsageName[] = ['digitalSignature', 'keyCertSign', 'cRLSign'];

// ---- reading ----

export interface CertificateInfo {
  /** RFC 4514 strings (the last RDN first). */
  readonly subject: string;
  readonly issuer: string;
  /** Canonical serial (serial.ts). */
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly isCa: boolean;
  readonly pathLength?: number;
  readonly ski?: Uint8Array;
  /** DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  /** DER of the subject Name exactly as encoded (OCSP issuerNameHash, CRL issuer matching). */
  readonly subjectDer: Uint8Array;
}

function readFields(certificate: Uint8Array): CertificateFields {
  try {
    return certificateFields(certificate);
  } catch (err) {
    throw new CaError('invalid-request', 'not a DER X.509 certificate', { cause: err });
  }
}

function basicConstraints(fields: CertificateFields): { ca: boolean; pathLength?: number } {
  const value = fields.extensions.find((e) => e.oid === OID.basicConstraints)?.value;
  const [ca, pathLength] = value === undefined ? [] : derChildren(value);
  if (ca?.[0] !== 0x01 || derContent(ca)[0] === 0) return { ca: false };
  const length = pathLength?.[0] === 0x02 ? derContent(pathLength) : undefined;
  return length === undefined
    ? { ca: true }
    : { ca: true, pathLength: length.reduce((n, b) => n * 256 + b, 0) };
}

function subjectKeyId(fields: CertificateFields): Uint8Array | undefined {
  const value = fields.extensions.find((e) => e.oid === OID.subjectKeyIdentifier)?.value;
  return value === undefined ? undefined : new Uint8Array(derContent(value));
}

/** What the CA needs to know of a certificate (its own, an imported one, an issued one). */
export function certificateInfo(certificate: Uint8Array): CertificateInfo {
  const fields = readFields(certificate);
  const constraints = basicConstraints(fields);
  const ski = subjectKeyId(fields);
  return {
    subject: nameToString(fields.subject),
    issuer: nameToString(fields.issuer),
    serial: serialFromBytes(fields.serial),
    notBefore: fields.notBefore,
    notAfter: fields.notAfter,
    isCa: constraints.ca,
    ...(constraints.pathLength === undefined ? {} : { pathLength: constraints.pathLength }),
    ...(ski === undefined ? {} : { ski }),
    spki: new Uint8Array(fields.spki),
    subjectDer: new Uint8Array(fields.subject),
  };
}

// ---- issuers ----

/** What signing under a CA needs from its certificate, derived once per certificate. */
export interface PreparedIssuer {
  /** The issuer's subject Name, byte for byte (RFC 5280 §4.1.2.4). */
  readonly name: Uint8Array;
  /** AKI keyIdentifier: the issuer's own SKI, or RFC 7093 §2 of its key when it has none. */
  readonly keyId: Uint8Array;
  readonly notAfter: Date;
  readonly pathLength?: number;
}

/** Checks that `certificate` may issue (RFC 5280 §4.2.1.9 cA, §4.2.1.3 keyCertSign). */
export function prepareIssuer(certificate: Uint8Array): PreparedIssuer {
  const fields = readFields(certificate);
  const constraints = basicConstraints(fields);
  const usage = fields.extensions.find((e) => e.oid === OID.keyUsage)?.value;
  // keyCertSign is bit 5: the first octet's 0x04 (X.690 §8.6.2.1).
  const certSign = usage === undefined || ((derContent(usage)[1] ?? 0) & 0x04) !== 0;
  if (!constraints.ca || !certSign) {
    throw new CaError('ca-unavailable', 'the issuer certificate is not a CA certificate');
  }
  return {
    name: new Uint8Array(fields.subject),
    keyId: subjectKeyId(fields) ?? keyIdentifier(fields.spki),
    notAfter: fields.notAfter,
    ...(constraints.pathLength === undefined ? {} : { pathLength: constraints.pathLength }),
  };
}

/** RFC 5280 §4.2.1.9: a CA below an issuer with pathLenConstraint n may allow at most n - 1. */
export function checkPathLength(issuer: PreparedIssuer, pathLength: number | undefined): void {
  if (issuer.pathLength === undefined) return;
  if (issuer.pathLength === 0 || (pathLength !== undefined && pathLength >= issuer.pathLength)) {
    throw new CaError(
      'profile-violation',
      `pathLength ${pathLength ?? '(none)'} is not allowed below an issuer with pathLength ${issuer.pathLength}`,
    );
  }
}

/** The issuer must still be valid when the certificate starts; its end caps the certificate's. */
export function cappedNotAfter(issuer: PreparedIssuer, notBefore: Date, notAfter: Date): Date {
  if (issuer.notAfter <= notBefore) {
    throw new CaError('ca-unavailable', 'the issuing CA certificate has expired');
  }
  return notAfter > issuer.notAfter ? issuer.notAfter : notAfter;
}

// ---- writing ----

export interface TbsCertificateInput {
  readonly serial: string;
  /** DER Names. */
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spki: Uint8Array;
  /** DER Extension each. */
  readonly extensions: readonly Uint8Array[];
}

/** Encodes and signs a v3 certificate (RFC 5280 §4.1); `algorithm` caches the key's identifier. */
export async function signCertificate(
  input: TbsCertificateInput,
  key: CryptoKey,
  algorithm: Uint8Array = signatureAlgorithmDer(key),
): Promise<Uint8Array> {
  const tbs = derSequence(
    der(0xa0, derSmallInteger(2)), // [0] EXPLICIT Version v3
    der(0x02, serialBytes(input.serial)),
    algorithm,
    input.issuer,
    derSequence(derTime(input.notBefore), derTime(input.notAfter)),
    input.subject,
    input.spki,
    der(0xa3, derSequence(...input.extensions)),
  );
  return signTbs(tbs, key, algorithm);
}

function caSubject(subject: string): Uint8Array {
  const attributes = parseDn(subject);
  // RFC 5280 §4.1.2.6: a CA's subject MUST be a non-empty distinguished name.
  if (attributes.length === 0)
    throw new CaError('invalid-request', 'a CA subject must not be empty');
  return encodeName(attributes);
}

function validity(
  now: Date | undefined,
  validityDays: number,
): { notBefore: Date; notAfter: Date } {
  if (!(validityDays > 0))
    throw new CaError('validity-not-allowed', 'validityDays must be positive');
  const notBefore = new Date(Math.floor((now ?? new Date()).getTime() / 1000) * 1000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + validityDays * DAY_MS) };
}

async function spkiOf(publicKey: CryptoKey | Uint8Array): Promise<Uint8Array> {
  if (publicKey instanceof Uint8Array) return publicKey;
  return new Uint8Array(await webcrypto.subtle.exportKey('spki', publicKey));
}

export interface CreateRootOptions {
  /** RFC 4514, e.g. `CN=Example Root CA, O=Example`. */
  readonly subject: string;
  readonly keys: webcrypto.CryptoKeyPair;
  readonly validityDays: number;
  readonly pathLength?: number;
  readonly serial?: string;
  readonly now?: Date;
}

/** A self-signed root: critical CA:TRUE and keyUsage, SKI, and AKI equal to the SKI. */
export async function createRootCertificate(o: CreateRootOptions): Promise<Uint8Array> {
  const subject = caSubject(o.subject);
  const spki = await spkiOf(o.keys.publicKey);
  const ski = keyIdentifier(spki);
  const extensions = [
    basicConstraintsExtension(true, o.pathLength),
    keyUsageExtension(CA_KEY_USAGE, true),
    subjectKeyIdentifierExtension(ski),
    authorityKeyIdentifierExtension(ski),
  ];
  const serial = o.serial === undefined ? newSerial() : normalizeSerial(o.serial);
  const input = {
    serial,
    issuer: subject,
    subject,
    spki,
    extensions,
    ...validity(o.now, o.validityDays),
  };
  return signCertificate(input, o.keys.privateKey);
}

export interface CreateCaOptions {
  readonly subject: string;
  /** The subordinate's public key, or its DER SubjectPublicKeyInfo (from a ceremony CSR). */
  readonly publicKey: CryptoKey | Uint8Array;
  readonly issuer: SigningCa;
  readonly validityDays: number;
  readonly pathLength?: number;
  readonly serial?: string;
  readonly now?: Date;
  readonly ocspUrl?: string;
  readonly caIssuersUrl?: string;
  readonly crlUrl?: string;
}

/** A subordinate CA signed by `issuer`; its validity ends no later than the issuer's. */
export async function createCaCertificate(o: CreateCaOptions): Promise<Uint8Array> {
  const issuer = prepareIssuer(o.issuer.certificate);
  checkPathLength(issuer, o.pathLength);
  const subject = caSubject(o.subject);
  const spki = await spkiOf(o.publicKey);
  const { notBefore, notAfter } = validity(o.now, o.validityDays);
  const aia = authorityInfoAccessExtension(o);
  const extensions = [
    basicConstraintsExtension(true, o.pathLength),
    keyUsageExtension(CA_KEY_USAGE, true),
    subjectKeyIdentifierExtension(keyIdentifier(spki)),
    authorityKeyIdentifierExtension(issuer.keyId),
    ...(aia === undefined ? [] : [aia]),
    ...(o.crlUrl === undefined ? [] : [crlDistributionPointsExtension(o.crlUrl)]),
  ];
  const input = {
    serial: o.serial === undefined ? newSerial() : normalizeSerial(o.serial),
    issuer: issuer.name,
    subject,
    spki,
    extensions,
    notBefore,
    notAfter: cappedNotAfter(issuer, notBefore, notAfter),
  };
  return signCertificate(input, o.issuer.privateKey);
}

/** A PKCS#10 CSR (RFC 2986) asking for CA:TRUE, for a root held offline to sign. PEM. */
export async function createCaCsr(o: {
  subject: string;
  keys: webcrypto.CryptoKeyPair;
}): Promise<string> {
  const extensions = derSequence(
    basicConstraintsExtension(true),
    keyUsageExtension(CA_KEY_USAGE, true),
  );
  // PKCS#9 extensionRequest (RFC 2985 §5.4.2) inside attributes [0] IMPLICIT SET OF Attribute.
  const extensionRequest = derSequence(derOid('1.2.840.113549.1.9.14'), derSet(extensions));
  const info = derSequence(
    derSmallInteger(0),
    caSubject(o.subject),
    await spkiOf(o.keys.publicKey),
    der(0xa0, extensionRequest),
  );
  return toPem(await signTbs(info, o.keys.privateKey), 'CERTIFICATE REQUEST');
}
