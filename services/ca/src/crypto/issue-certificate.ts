// Issues one certificate from an IssuancePlan the profile rules accepted: the plan's subject,
// SANs, validity and key usages, the requester's SubjectPublicKeyInfo as received, SKI/AKI, and
// AIA/CRLDP pointing at the revocation listener. What the issuer's certificate contributes
// (name, key identifier, limits) is derived once per certificate and kept in a WeakMap keyed by
// its Uint8Array, so issuance costs one encoding and one signature.
import type { IssuancePlan } from '../domain/certificate-request.js';
import { signatureAlgorithmDer } from './ca-keys.js';
import {
  cappedNotAfter,
  checkPathLength,
  prepareIssuer,
  signCertificate,
  type PreparedIssuer,
} from './ca-certificates.js';
import {
  authorityInfoAccessExtension,
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  crlDistributionPointsExtension,
  extendedKeyUsageExtension,
  keyIdentifier,
  keyUsageExtension,
  ocspNoCheckExtension,
  subjectAltNameExtension,
  subjectKeyIdentifierExtension,
} from './extensions.js';
import { encodeName } from './distinguished-name.js';
import type { CryptoKey, SigningCa } from './signing-ca.js';
import { CaError } from '../domain/ca-error.js';

export interface IssueCertificateInput {
  readonly plan: IssuancePlan;
  /** The DER SubjectPublicKeyInfo from the CSR, copied into the certificate unchanged. */
  readonly spki: Uint8Array;
  /** Canonical serial (serial.ts), allocated and reserved by the caller. */
  readonly serial: string;
  readonly issuer: SigningCa;
  readonly ocspUrl?: string;
  readonly caIssuersUrl?: string;
  readonly crlUrl?: string;
}

const issuers = new WeakMap<Uint8Array, PreparedIssuer>();
const algorithms = new WeakMap<CryptoKey, Uint8Array>();

function issuerOf(ca: SigningCa): { issuer: PreparedIssuer; algorithm: Uint8Array } {
  let issuer = issuers.get(ca.certificate);
  if (issuer === undefined) {
    issuer = prepareIssuer(ca.certificate);
    issuers.set(ca.certificate, issuer);
  }
  let algorithm = algorithms.get(ca.privateKey);
  if (algorithm === undefined) {
    algorithm = signatureAlgorithmDer(ca.privateKey);
    algorithms.set(ca.privateKey, algorithm);
  }
  return { issuer, algorithm };
}

function hasSans(plan: IssuancePlan): boolean {
  const { dns, ip, email, uri } = plan.san;
  return dns.length + ip.length + email.length + uri.length > 0;
}

function planExtensions(input: IssueCertificateInput, issuer: PreparedIssuer): Uint8Array[] {
  const { plan } = input;
  const aia = authorityInfoAccessExtension(input);
  return [
    basicConstraintsExtension(plan.basicConstraints.ca, plan.basicConstraints.pathLength),
    ...(plan.keyUsage.length === 0
      ? []
      : [keyUsageExtension(plan.keyUsage, plan.keyUsageCritical)]),
    ...(plan.extendedKeyUsage.length === 0
      ? []
      : [extendedKeyUsageExtension(plan.extendedKeyUsage, plan.extendedKeyUsageCritical)]),
    ...(hasSans(plan) ? [subjectAltNameExtension(plan.san, plan.sanCritical)] : []),
    subjectKeyIdentifierExtension(keyIdentifier(input.spki)),
    authorityKeyIdentifierExtension(issuer.keyId),
    ...(aia === undefined ? [] : [aia]),
    ...(input.crlUrl === undefined ? [] : [crlDistributionPointsExtension(input.crlUrl)]),
    ...(plan.ocspNoCheck ? [ocspNoCheckExtension()] : []),
  ];
}

/** Signs the certificate the plan describes; DER. notAfter is capped at the issuer's. */
export async function issueCertificate(input: IssueCertificateInput): Promise<Uint8Array> {
  const { plan } = input;
  const { issuer, algorithm } = issuerOf(input.issuer);
  if (plan.basicConstraints.ca) checkPathLength(issuer, plan.basicConstraints.pathLength);
  // RFC 5280 §4.1.2.6: an empty subject needs a (critical) subjectAltName.
  if (plan.subject.length === 0 && !hasSans(plan)) {
    throw new CaError(
      'name-not-allowed',
      'a certificate without subject needs subject alternative names',
    );
  }
  const tbs = {
    serial: input.serial,
    issuer: issuer.name,
    subject: encodeName(plan.subject),
    notBefore: plan.notBefore,
    notAfter: cappedNotAfter(issuer, plan.notBefore, plan.notAfter),
    spki: input.spki,
    extensions: planExtensions(input, issuer),
  };
  return signCertificate(tbs, input.issuer.privateKey, algorithm);
}
