// How an OCSP CertID names the issuing CA (RFC 6960 §4.1.1): a hash of the CA's subject Name as
// encoded in its certificate, and a hash of its public key (the subjectPublicKey BIT STRING's
// value, without tag, length and unused-bits octet). Computed once per CA for every hash a
// request may use, then compared with each CertID. The same key hash, with SHA-1, is a
// responder's ResponderID byKey (§4.2.2.3).
import { createHash } from 'node:crypto';
import { AsnConvert, AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import type { OcspCertId, OcspHashAlgorithm } from './ocsp-request.js';

export interface OcspNameKeyHashes {
  /** Hash of the DER subject Name. */
  readonly name: Uint8Array;
  /** Hash of the subjectPublicKey BIT STRING value. */
  readonly key: Uint8Array;
}

export interface OcspIssuerIds {
  readonly sha1: OcspNameKeyHashes;
  readonly sha256: OcspNameKeyHashes;
  readonly sha384: OcspNameKeyHashes;
  readonly sha512: OcspNameKeyHashes;
}

// A view of the certificate that keeps the subject's bytes as encoded, so the name hash is
// taken over exactly what a relying party hashes (the issuer field of the certificates the CA
// signed), not over a re-encoding. Fields after subjectPublicKeyInfo are not read.
class TbsCertificateView {
  declare version?: ArrayBuffer;
  serialNumber = new ArrayBuffer(0);
  signature = new ArrayBuffer(0);
  issuer = new ArrayBuffer(0);
  validity = new ArrayBuffer(0);
  subject = new ArrayBuffer(0);
  subjectPublicKeyInfo = new SubjectPublicKeyInfo();
}
AsnProp({ type: AsnPropTypes.Any, context: 0, optional: true })(
  TbsCertificateView.prototype,
  'version',
);
for (const field of ['serialNumber', 'signature', 'issuer', 'validity', 'subject'] as const) {
  AsnProp({ type: AsnPropTypes.Any })(TbsCertificateView.prototype, field);
}
AsnProp({ type: SubjectPublicKeyInfo })(TbsCertificateView.prototype, 'subjectPublicKeyInfo');

class CertificateView {
  tbsCertificate = new TbsCertificateView();
}
AsnProp({ type: TbsCertificateView })(CertificateView.prototype, 'tbsCertificate');

/** The issuer name and key hashes of a CA certificate (DER), for every CertID hash. */
export function ocspIssuerIdsOf(caCertificateDer: Uint8Array): OcspIssuerIds {
  let tbs: TbsCertificateView;
  try {
    tbs = AsnConvert.parse(caCertificateDer, CertificateView).tbsCertificate;
  } catch (err) {
    throw new TypeError('ocspIssuerIdsOf: not a DER certificate', { cause: err });
  }
  const name = new Uint8Array(tbs.subject);
  const key = new Uint8Array(tbs.subjectPublicKeyInfo.subjectPublicKey);
  const hashes = (algorithm: string): OcspNameKeyHashes => ({
    name: createHash(algorithm).update(name).digest(),
    key: createHash(algorithm).update(key).digest(),
  });
  return {
    sha1: hashes('sha1'),
    sha256: hashes('sha256'),
    sha384: hashes('sha384'),
    sha512: hashes('sha512'),
  };
}

const BY_ALGORITHM: Readonly<Record<OcspHashAlgorithm, keyof OcspIssuerIds>> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** Whether a CertID names this issuer (public data: no constant-time comparison needed). */
export function matchesIssuer(certId: OcspCertId, ids: OcspIssuerIds): boolean {
  const expected = ids[BY_ALGORITHM[certId.hashAlgorithm]];
  return (
    Buffer.compare(certId.issuerNameHash, expected.name) === 0 &&
    Buffer.compare(certId.issuerKeyHash, expected.key) === 0
  );
}
