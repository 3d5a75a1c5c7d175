// OCSP requests (RFC 6960 §4.1): the DER OCSPRequest of a POST, or the URL path segment of a GET
// (Appendix A.1), read into the CertIDs a responder answers and the nonce it echoes. Anything a
// responder cannot answer becomes an OcspRequestError carrying the protocol's own status (§2.3).
// Every request is read on the responder's hot path, so this walks the DER with pem.ts's
// framing: the @peculiar/asn1-schema parser managed about 3,500 requests a second here, this
// about 70,000 (the tests check the reading against requests the asn1-ocsp schemas build).
import {
  decodeOid,
  derChildren,
  derContent,
  extensionFields,
  readDer,
  type ExtensionFields,
} from './pem.js';
import { serialFromBytes } from './serial.js';

export type OcspHashAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** One CertID of a request (RFC 6960 §4.1.1). */
export interface OcspCertId {
  readonly hashAlgorithm: OcspHashAlgorithm;
  readonly issuerNameHash: Uint8Array;
  readonly issuerKeyHash: Uint8Array;
  /** The serial number as lowercase hex without leading zero octets (serial.ts's form). */
  readonly serial: string;
  /** The CertID as received, echoed in the response's SingleResponse. */
  readonly der: Uint8Array;
}

export interface ParsedOcspRequest {
  readonly certIds: readonly OcspCertId[];
  /** The id-pkix-ocsp-nonce extension's value (RFC 8954 §2.1: 1 to 32 octets). */
  readonly nonce?: Uint8Array;
}

export type OcspRequestErrorStatus = 'malformedRequest' | 'unauthorized' | 'sigRequired';

/** A request the responder answers with an unsigned error status (RFC 6960 §2.3). */
export class OcspRequestError extends Error {
  override readonly name = 'OcspRequestError';
  readonly status: OcspRequestErrorStatus;

  constructor(status: OcspRequestErrorStatus, message: string) {
    super(message);
    this.status = status;
  }
}

/** A bound on the CertIDs of one request, so one request cannot ask for the whole database. */
export const MAX_OCSP_REQUESTS = 16;

/** id-pkix-ocsp-nonce (RFC 6960 §4.4.1). */
export const ID_PKIX_OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
// RFC 8954 §2.1: Nonce ::= OCTET STRING (SIZE(1..32)).
const MAX_NONCE = 32;
// RFC 5280 §4.1.2.2 allows 20 octets; a little slack for non-conforming certificates.
const MAX_SERIAL = 32;

/** The hash algorithms a CertID may use (RFC 6960 §4.3 and RFC 5754 §2), with digest sizes. */
const HASHES: Readonly<Record<string, readonly [OcspHashAlgorithm, number]>> = {
  '1.3.14.3.2.26': ['SHA-1', 20],
  '2.16.840.1.101.3.4.2.1': ['SHA-256', 32],
  '2.16.840.1.101.3.4.2.2': ['SHA-384', 48],
  '2.16.840.1.101.3.4.2.3': ['SHA-512', 64],
};

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const OCTET_STRING = 0x04;
const OID = 0x06;
const DER_NULL = Uint8Array.of(0x05, 0x00);
/** [0] EXPLICIT INTEGER 0: version v1 written out, though DER omits the DEFAULT. */
const V1 = Uint8Array.of(0xa0, 0x03, 0x02, 0x01, 0x00);

const malformed = (message: string) => new OcspRequestError('malformedRequest', message);

function expectTag(element: Uint8Array | undefined, tag: number, what: string): Uint8Array {
  if (element === undefined) throw malformed(`${what} is missing`);
  if (element[0] !== tag) throw malformed(`${what} has the wrong type`);
  return element;
}

/** The children of `element`, which must be one whole TLV with this tag. */
function childrenOf(element: Uint8Array | undefined, tag: number, what: string): Uint8Array[] {
  const checked = expectTag(element, tag, what);
  if (readDer(checked).end !== checked.length) throw malformed(`${what} has trailing bytes`);
  return derChildren(checked);
}

/** The contents of a primitive element with this tag. */
function contentOf(element: Uint8Array | undefined, tag: number, what: string): Uint8Array {
  return derContent(expectTag(element, tag, what));
}

/** The canonical serial (serial.ts's form); a negative INTEGER is refused. */
function serialOf(integer: Uint8Array): string {
  if (integer.length === 0 || integer.length > MAX_SERIAL) {
    throw malformed(`serialNumber must be 1 to ${MAX_SERIAL} octets`);
  }
  // RFC 5280 §4.1.2.2: serials are positive; a negative one would alias the positive serial
  // with the same magnitude octets once the sign is dropped.
  if ((integer[0] ?? 0) & 0x80) throw malformed('serialNumber must not be negative');
  return serialFromBytes(integer);
}

/**
 * CertID ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, issuerNameHash OCTET STRING,
 *   issuerKeyHash OCTET STRING, serialNumber CertificateSerialNumber }   (RFC 6960 §4.1.1)
 */
function toCertId(der: Uint8Array): OcspCertId {
  const [algorithm, nameHash, keyHash, serialNumber, ...extra] = childrenOf(
    der,
    SEQUENCE,
    'CertID',
  );
  if (extra.length > 0) throw malformed('CertID has extra fields');
  const [oid, parameters, ...more] = childrenOf(algorithm, SEQUENCE, 'hashAlgorithm');
  const algorithmId = decodeOid(contentOf(oid, OID, 'hashAlgorithm'));
  const hash = HASHES[algorithmId];
  if (hash === undefined) throw malformed(`hash algorithm ${algorithmId} is not supported`);
  // RFC 5754 §2: the parameters are absent or NULL.
  if (more.length > 0 || (parameters !== undefined && Buffer.compare(parameters, DER_NULL) !== 0)) {
    throw malformed('hash algorithm parameters must be absent or NULL');
  }
  const [hashAlgorithm, size] = hash;
  const issuerNameHash = contentOf(nameHash, OCTET_STRING, 'issuerNameHash');
  const issuerKeyHash = contentOf(keyHash, OCTET_STRING, 'issuerKeyHash');
  if (issuerNameHash.length !== size || issuerKeyHash.length !== size) {
    throw malformed(`issuerNameHash and issuerKeyHash must be ${hashAlgorithm} digests`);
  }
  const serial = serialOf(contentOf(serialNumber, INTEGER, 'serialNumber'));
  return { hashAlgorithm, issuerNameHash, issuerKeyHash, serial, der };
}

/** Extensions ::= SEQUENCE OF Extension (RFC 5280 §4.1), inside an [n] EXPLICIT tag. */
function extensionsOf(tagged: Uint8Array | undefined, tag: number): ExtensionFields[] {
  if (tagged === undefined) return [];
  const [list, ...extra] = childrenOf(tagged, tag, 'extensions');
  if (extra.length > 0) throw malformed('extensions have extra fields');
  return childrenOf(list, SEQUENCE, 'extensions').map(extensionFields);
}

/** RFC 6960 §4.4: extensions not understood are ignored, unless they are critical. */
function checkCritical(extensions: readonly ExtensionFields[], known: readonly string[]): void {
  const unknown = extensions.find((ext) => ext.critical && !known.includes(ext.oid));
  if (unknown) throw malformed(`critical extension ${unknown.oid} is not supported`);
}

/** RFC 8954 §2.1: the nonce extension's value is the DER of an OCTET STRING of 1..32 octets. */
function nonceOf(extensions: readonly ExtensionFields[]): Uint8Array | undefined {
  const nonces = extensions.filter((ext) => ext.oid === ID_PKIX_OCSP_NONCE);
  if (nonces.length > 1) throw malformed('the nonce extension appears more than once');
  const value = nonces[0]?.value;
  if (value === undefined) return undefined;
  if (value[0] !== OCTET_STRING || readDer(value).end !== value.length) {
    throw malformed('the nonce must be an OCTET STRING');
  }
  const nonce = derContent(value);
  if (nonce.length < 1 || nonce.length > MAX_NONCE) {
    throw malformed(`the nonce must be 1 to ${MAX_NONCE} octets (RFC 8954)`);
  }
  return nonce.slice();
}

/**
 * Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions
 *   OPTIONAL }
 */
function toRequest(request: Uint8Array): OcspCertId {
  const [reqCert, singleExtensions, ...extra] = childrenOf(request, SEQUENCE, 'Request');
  if (extra.length > 0) throw malformed('Request has extra fields');
  if (reqCert === undefined) throw malformed('Request has no CertID');
  checkCritical(extensionsOf(singleExtensions, 0xa0), []);
  // A copy, so a cached CertID does not hold on to the whole request.
  return toCertId(reqCert.slice());
}

/**
 * OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest, optionalSignature [0] EXPLICIT Signature
 *   OPTIONAL }; TBSRequest ::= SEQUENCE { version [0] EXPLICIT Version DEFAULT v1,
 *   requestorName [1] EXPLICIT GeneralName OPTIONAL, requestList SEQUENCE OF Request,
 *   requestExtensions [2] EXPLICIT Extensions OPTIONAL }   (RFC 6960 §4.1.1)
 */
function readRequest(der: Uint8Array): ParsedOcspRequest {
  // §4.1.2: a signature on the request is not checked; this responder does not require one.
  const [tbsRequest, signature, ...extra] = childrenOf(der, SEQUENCE, 'OCSPRequest');
  if (extra.length > 0 || (signature !== undefined && signature[0] !== 0xa0)) {
    throw malformed('OCSPRequest has extra fields');
  }
  const fields = childrenOf(tbsRequest, SEQUENCE, 'tbsRequest');
  const version = fields[0]?.[0] === 0xa0 ? fields.shift() : undefined;
  if (version !== undefined && Buffer.compare(version, V1) !== 0) {
    throw malformed('the request version must be v1');
  }
  if (fields[0]?.[0] === 0xa1) fields.shift(); // requestorName: not used
  const [requestList, requestExtensions, ...more] = fields;
  if (more.length > 0) throw malformed('tbsRequest has extra fields');
  const list = childrenOf(requestList, SEQUENCE, 'requestList');
  if (list.length === 0 || list.length > MAX_OCSP_REQUESTS) {
    throw malformed(`requestList must hold 1 to ${MAX_OCSP_REQUESTS} requests`);
  }
  const certIds = list.map(toRequest);
  const extensions = extensionsOf(requestExtensions, 0xa2);
  checkCritical(extensions, [ID_PKIX_OCSP_NONCE]);
  const nonce = nonceOf(extensions);
  return nonce === undefined ? { certIds } : { certIds, nonce };
}

/** Reads a DER OCSPRequest (RFC 6960 §4.1.1). Throws OcspRequestError 'malformedRequest'. */
export function parseOcspRequest(der: Uint8Array): ParsedOcspRequest {
  try {
    return readRequest(der);
  } catch (err) {
    if (err instanceof OcspRequestError) throw err;
    // pem.ts's readers throw TypeError on broken framing.
    throw malformed('the OCSPRequest is not valid DER');
  }
}

// RFC 4648 §4 base64, padding optional.
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The DER request of a GET (RFC 6960 Appendix A.1): the path segment is the URL encoding of the
 * base64 of the DER. Clients differ in which of '+', '/' and '=' they percent-encode, so both
 * forms are read. Throws OcspRequestError 'malformedRequest'.
 */
export function decodeOcspGetPath(encoded: string): Uint8Array {
  let text: string;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    throw malformed('the GET path is not URL-encoded');
  }
  const unpadded = text.replace(/=+$/, '');
  if (
    !BASE64.test(text) ||
    unpadded.length % 4 === 1 ||
    (text !== unpadded && text.length % 4 !== 0)
  ) {
    throw malformed('the GET path is not base64');
  }
  return new Uint8Array(Buffer.from(unpadded, 'base64'));
}
