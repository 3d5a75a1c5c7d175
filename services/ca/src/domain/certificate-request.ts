// What the CA reads from a certificate request (a PKCS#10 CSR, or an ACME order later) and what
// the profile rules make of it: the plan a certificate is built from. Pure data, no crypto.

/** A public key as the profile rules see it. */
export type KeyInfo =
  | { readonly kty: 'EC'; readonly curve: 'P-256' | 'P-384' | 'P-521' }
  | { readonly kty: 'RSA'; readonly bits: number }
  | { readonly kty: 'OKP'; readonly curve: 'Ed25519' };

/** One relative distinguished name attribute, in the order the request gives them. */
export interface NameAttribute {
  /** Short name: CN, O, OU, C, L, ST, street, serialNumber, E (emailAddress), DC, … */
  readonly type: string;
  readonly value: string;
}

/** Subject alternative names by kind (RFC 5280 §4.2.1.6). */
export interface SubjectAltNames {
  readonly dns: readonly string[];
  /** IPv4 dotted or IPv6 text, as openssl prints them. */
  readonly ip: readonly string[];
  readonly email: readonly string[];
  readonly uri: readonly string[];
}

/** A verified CSR, summarized for the profile rules. */
export interface CsrSummary {
  readonly subject: readonly NameAttribute[];
  readonly key: KeyInfo;
  /** From the CSR's extensionRequest attribute; empty lists when it has none. */
  readonly san: SubjectAltNames;
  /** The CSR asks for basicConstraints cA=TRUE. */
  readonly requestsCa: boolean;
  /** OIDs of every extension the CSR requests (SAN and basicConstraints included). */
  readonly requestedExtensions: readonly string[];
  /** The DER SubjectPublicKeyInfo, as it goes into the certificate. */
  readonly spki: Uint8Array;
}

/** RFC 5280 §4.2.1.3 key usage bits, by their names there. */
export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGES)[number];

/** Everything a certificate is built from once the profile accepted the request. */
export interface IssuancePlan {
  readonly profileId: string;
  readonly subject: readonly NameAttribute[];
  readonly san: SubjectAltNames;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly keyUsage: readonly KeyUsageName[];
  readonly keyUsageCritical: boolean;
  /** Extended key usage OIDs (e.g. 1.3.6.1.5.5.7.3.1 serverAuth); empty: no EKU extension. */
  readonly extendedKeyUsage: readonly string[];
  readonly extendedKeyUsageCritical: boolean;
  /** basicConstraints (always present, critical for CAs); pathLength only for CAs. */
  readonly basicConstraints: { readonly ca: boolean; readonly pathLength?: number };
  /** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1), for delegated OCSP responders. */
  readonly ocspNoCheck: boolean;
  /** The SAN extension is critical (RFC 5280: when the subject is empty). */
  readonly sanCritical: boolean;
}
