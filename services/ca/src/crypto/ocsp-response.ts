// OCSP responses (RFC 6960 §4.2): a BasicOCSPResponse signed by a delegated responder, and the
// unsigned error responses (§2.3). Responders pre-sign responses, but a request with a nonce is
// signed on its own, so createOcspSigner encodes once what depends only on the responder
// (ResponderID, signature algorithm, certs) and each response costs little more than its
// signature. The encoding uses pem.ts's DER framing: @peculiar/asn1-schema took about 1.5 ms a
// response here, ten times the signature (ocsp-response.test.ts checks the bytes against the
// @peculiar/asn1-ocsp schemas and openssl).
import { webcrypto } from 'node:crypto';
import { REVOCATION_REASONS, type RevocationReason } from '../domain/revocation.js';
import { ocspIssuerIdsOf } from './ocsp-issuer.js';
import { ID_PKIX_OCSP_NONCE, type OcspCertId } from './ocsp-request.js';
import { der, derBitString, derNull, derOctetString, derOid, derSequence } from './pem.js';
import { signatureAlgorithmOf, type SignatureAlgorithm, type SigningCa } from './signing-ca.js';

export type OcspCertStatus =
  | { readonly status: 'good' }
  | { readonly status: 'revoked'; readonly revokedAt: Date; readonly reason?: RevocationReason }
  | { readonly status: 'unknown' };

/** One SingleResponse (RFC 6960 §4.2.1). */
export interface OcspResponseEntry {
  readonly certId: OcspCertId;
  readonly status: OcspCertStatus;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
}

export interface OcspSigner {
  /** A DER OCSPResponse (successful, id-pkix-ocsp-basic) for the entries, signed now. */
  sign(
    entries: readonly OcspResponseEntry[],
    producedAt: Date,
    nonce?: Uint8Array,
  ): Promise<Uint8Array>;
}

export interface BuildOcspResponseInput {
  /** The delegated responder's certificate and key. */
  readonly responder: SigningCa;
  readonly entries: readonly OcspResponseEntry[];
  readonly producedAt: Date;
  readonly nonce?: Uint8Array;
}

export type OcspErrorStatus =
  'malformedRequest' | 'internalError' | 'tryLater' | 'sigRequired' | 'unauthorized';

/** OCSPResponseStatus (RFC 6960 §4.2.1). */
const RESPONSE_STATUS = {
  successful: 0,
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  sigRequired: 5,
  unauthorized: 6,
} as const;

const ENUMERATED = 0x0a;
const GENERALIZED_TIME = 0x18;
/** id-pkix-ocsp-basic (RFC 6960 §4.2.1). */
const BASIC_RESPONSE_TYPE = derOid('1.3.6.1.5.5.7.48.1.1');
const NONCE_ID = derOid(ID_PKIX_OCSP_NONCE);
// CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo,
//   unknown [2] IMPLICIT UnknownInfo }
const GOOD = Uint8Array.of(0x80, 0x00);
const UNKNOWN = Uint8Array.of(0x82, 0x00);

/** RFC 5758 §3.2 (ECDSA, parameters absent), RFC 4055 §5 (RSA, NULL), RFC 8410 §3 (Ed25519). */
function algorithmIdentifier(algorithm: SignatureAlgorithm): Uint8Array {
  switch (algorithm.name) {
    case 'ECDSA': {
      const suffix = { 'SHA-256': 2, 'SHA-384': 3, 'SHA-512': 4 }[algorithm.hash];
      return derSequence(derOid(`1.2.840.10045.4.3.${suffix}`));
    }
    case 'RSASSA-PKCS1-v1_5':
      return derSequence(derOid('1.2.840.113549.1.1.11'), derNull());
    case 'Ed25519':
      return derSequence(derOid('1.3.101.112'));
  }
}

/** An unsigned INTEGER: leading zero octets dropped, one added when the high bit is set. */
function positiveInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start += 1;
  const value = magnitude.subarray(start);
  return (value[0] ?? 0) >= 0x80 ? der(0x02, Uint8Array.of(0), value) : der(0x02, value);
}

/**
 * WebCrypto ECDSA signs as r || s (IEEE P1363); X.509 signatures carry
 * Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 5480 §2.2, RFC 5758 §3.2).
 */
function ecdsaSigValue(p1363: Uint8Array): Uint8Array {
  const half = p1363.length / 2;
  return derSequence(
    positiveInteger(p1363.subarray(0, half)),
    positiveInteger(p1363.subarray(half)),
  );
}

/** GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5019 §2.2.4: GMT, no fractional seconds). */
function generalizedTime(date: Date): Uint8Array {
  if (Number.isNaN(date.getTime())) throw new TypeError('OCSP response: invalid date');
  const digits = date.toISOString().slice(0, 19).replace(/[-:T]/g, '');
  return der(GENERALIZED_TIME, Buffer.from(`${digits}Z`, 'latin1'));
}

/** RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT
 *  CRLReason OPTIONAL }, IMPLICIT [1] in CertStatus. */
function certStatus(status: OcspCertStatus): Uint8Array {
  switch (status.status) {
    case 'good':
      return GOOD;
    case 'unknown':
      return UNKNOWN;
    case 'revoked': {
      const time = generalizedTime(status.revokedAt);
      if (status.reason === undefined) return der(0xa1, time);
      const reason = der(ENUMERATED, Uint8Array.of(REVOCATION_REASONS[status.reason]));
      return der(0xa1, time, der(0xa0, reason));
    }
  }
}

/**
 * SingleResponse ::= SEQUENCE { certID CertID, certStatus CertStatus, thisUpdate
 *   GeneralizedTime, nextUpdate [0] EXPLICIT GeneralizedTime OPTIONAL, ... }. The CertID is
 *   echoed as the request sent it.
 */
function singleResponse(entry: OcspResponseEntry): Uint8Array {
  if (entry.nextUpdate < entry.thisUpdate) {
    throw new TypeError('OCSP response: nextUpdate is before thisUpdate');
  }
  return derSequence(
    entry.certId.der,
    certStatus(entry.status),
    generalizedTime(entry.thisUpdate),
    der(0xa0, generalizedTime(entry.nextUpdate)),
  );
}

/** responseExtensions [1] EXPLICIT Extensions with the nonce (RFC 8954 §2.1: its value is the
 *  DER of the Nonce OCTET STRING, as the request carried it). */
function nonceExtensions(nonce: Uint8Array): Uint8Array {
  if (nonce.length < 1 || nonce.length > 32) throw new TypeError('OCSP nonce: 1 to 32 octets');
  const extension = derSequence(NONCE_ID, derOctetString(derOctetString(nonce)));
  return der(0xa1, derSequence(extension));
}

/** OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT
 *  ResponseBytes OPTIONAL } (RFC 6960 §4.2.1). */
function ocspResponse(status: number, basic?: Uint8Array): Uint8Array {
  const responseStatus = der(ENUMERATED, Uint8Array.of(status));
  if (basic === undefined) return derSequence(responseStatus);
  const responseBytes = derSequence(BASIC_RESPONSE_TYPE, derOctetString(basic));
  return derSequence(responseStatus, der(0xa0, responseBytes));
}

/** Encodes once what every response of this responder shares, and signs responses with it. */
export function createOcspSigner(responder: SigningCa): OcspSigner {
  const algorithm = signatureAlgorithmOf(responder.privateKey);
  const params =
    algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: algorithm.hash } : { name: algorithm.name };
  // ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }; §4.2.2.3: byKey is the SHA-1
  // hash of the responder's public key.
  const responderId = der(0xa2, derOctetString(ocspIssuerIdsOf(responder.certificate).sha1.key));
  const signatureAlgorithm = algorithmIdentifier(algorithm);
  // certs [0] EXPLICIT SEQUENCE OF Certificate: §4.2.2.2, the delegated responder's certificate
  // goes along so that clients can check that the issuing CA authorised it.
  const certs = der(0xa0, derSequence(responder.certificate));

  return {
    async sign(entries, producedAt, nonce) {
      if (entries.length === 0) throw new TypeError('OCSP response: at least one entry');
      // ResponseData ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1 (omitted, X.690 §11.5),
      //   responderID, producedAt GeneralizedTime, responses SEQUENCE OF SingleResponse,
      //   responseExtensions [1] EXPLICIT Extensions OPTIONAL }
      const tbs = derSequence(
        responderId,
        generalizedTime(producedAt),
        derSequence(...entries.map(singleResponse)),
        ...(nonce === undefined ? [] : [nonceExtensions(nonce)]),
      );
      const raw = new Uint8Array(await webcrypto.subtle.sign(params, responder.privateKey, tbs));
      const signature = algorithm.name === 'ECDSA' ? ecdsaSigValue(raw) : raw;
      // BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature BIT
      //   STRING, certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
      const basic = derSequence(tbs, signatureAlgorithm, derBitString(signature), certs);
      return ocspResponse(RESPONSE_STATUS.successful, basic);
    },
  };
}

const signers = new WeakMap<SigningCa, OcspSigner>();

/** A signed OCSPResponse; the responder's shared parts are cached per SigningCa object. */
export async function buildOcspResponse(input: BuildOcspResponseInput): Promise<Uint8Array> {
  let signer = signers.get(input.responder);
  if (signer === undefined) {
    signer = createOcspSigner(input.responder);
    signers.set(input.responder, signer);
  }
  return signer.sign(input.entries, input.producedAt, input.nonce);
}

/** An unsigned OCSPResponse with an error status and no responseBytes (RFC 6960 §2.3). */
export function ocspErrorResponse(status: OcspErrorStatus): Uint8Array {
  const code = (RESPONSE_STATUS as Readonly<Record<string, number>>)[status];
  if (code === undefined || code === 0) throw new TypeError(`not an OCSP error status: ${status}`);
  return ocspResponse(code);
}
