// PKCS#10 certificate requests (RFC 2986): PEM or DER in, a verified CsrSummary out. The
// signature must verify under the CSR's own key (proof of possession, §4.2) with a FIPS-allowed
// hash (no SHA-1, no MD5); everything malformed is `invalid-csr`, never an internal error.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { CaError, isCaError } from '../domain/ca-error.js';
import type { CsrSummary, KeyInfo, SubjectAltNames } from '../domain/certificate-request.js';
import { keyInfoOf } from './ca-keys.js';
import { ipAddressText, OID } from './extensions.js';
import { nameAttributes } from './distinguished-name.js';
import {
  decodeOid,
  derChildren,
  derContent,
  extensionFields,
  fromPem,
  readDer,
  type ExtensionFields,
} from './pem.js';

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14'; // PKCS#9 (RFC 2985 §5.4.2)

/** Signature algorithms a CSR may use: the key type they need and the hash (none: Ed25519). */
const SIGNATURES: Readonly<Record<string, { kty: KeyInfo['kty']; hash: string | null }>> = {
  '1.2.840.10045.4.3.2': { kty: 'EC', hash: 'sha256' }, // RFC 5758 §3.2
  '1.2.840.10045.4.3.3': { kty: 'EC', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { kty: 'EC', hash: 'sha512' },
  '1.2.840.113549.1.1.11': { kty: 'RSA', hash: 'sha256' }, // RFC 4055 §5
  '1.2.840.113549.1.1.12': { kty: 'RSA', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { kty: 'RSA', hash: 'sha512' },
  '1.3.101.112': { kty: 'OKP', hash: null }, // RFC 8410 §6
};

/** Digests FIPS 140-3 no longer allows for signatures (SP 800-131A Rev. 2 §9). */
const WEAK_SIGNATURES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'MD2',
  '1.2.840.113549.1.1.4': 'MD5',
  '1.2.840.113549.1.1.5': 'SHA-1',
  '1.3.14.3.2.29': 'SHA-1',
  '1.2.840.10045.4.1': 'SHA-1',
  '1.2.840.10040.4.3': 'SHA-1',
};

function invalid(message: string, cause?: unknown): CaError {
  return new CaError('invalid-csr', message, cause === undefined ? undefined : { cause });
}

/** The DER of a CSR given as PEM text, PEM bytes or DER bytes. */
function csrDer(input: string | Uint8Array): Uint8Array {
  if (typeof input !== 'string' && input[0] === 0x30) return input;
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  const label = text.includes('-----BEGIN NEW CERTIFICATE REQUEST-----')
    ? 'NEW CERTIFICATE REQUEST' // the label of old Netscape and Microsoft tools
    : 'CERTIFICATE REQUEST';
  try {
    return fromPem(text, label);
  } catch (err) {
    throw invalid(`the CSR is neither DER nor PEM: ${(err as Error).message}`);
  }
}

interface CsrParts {
  readonly info: Uint8Array;
  readonly subject: Uint8Array;
  readonly spki: Uint8Array;
  readonly extensions: readonly ExtensionFields[];
  readonly algorithm: string;
  readonly signature: Uint8Array;
}

/** The extensions of the extensionRequest attribute (RFC 2986 §4.1 attributes [0]). */
function requestedExtensions(attributes: Uint8Array | undefined): ExtensionFields[] {
  if (attributes === undefined) return [];
  const requests = derChildren(attributes).filter((attribute) => {
    const [type] = derChildren(attribute);
    return type !== undefined && decodeOid(derContent(type)) === EXTENSION_REQUEST;
  });
  if (requests.length > 1) throw invalid('the CSR has more than one extensionRequest attribute');
  const values = requests[0] === undefined ? undefined : derChildren(requests[0])[1];
  const extensions = values === undefined ? undefined : derChildren(values)[0];
  if (extensions === undefined) return [];
  const fields = derChildren(extensions).map(extensionFields);
  const oids = fields.map((field) => field.oid);
  // RFC 5280 §4.2: a certificate MUST NOT include more than one instance of an extension.
  const repeated = oids.find((oid, i) => oids.indexOf(oid) !== i);
  if (repeated !== undefined) throw invalid(`the CSR requests extension ${repeated} twice`);
  return fields;
}

function readCsr(der: Uint8Array): CsrParts {
  if (readDer(der).end !== der.length) throw invalid('the CSR has data after its end');
  const [info, algorithm, signature, ...extra] = derChildren(der);
  if (
    info === undefined ||
    algorithm?.[0] !== 0x30 ||
    signature?.[0] !== 0x03 ||
    extra.length > 0
  ) {
    throw invalid('the CSR is not a PKCS#10 CertificationRequest');
  }
  const [version, subject, spki, attributes] = derChildren(info);
  if (version?.[0] !== 0x02 || subject?.[0] !== 0x30 || spki?.[0] !== 0x30) {
    throw invalid('the CSR is not a PKCS#10 CertificationRequest');
  }
  if (version.length !== 3 || version[2] !== 0) throw invalid('the CSR version is not v1 (0)');
  const [oid] = derChildren(algorithm);
  const bits = derContent(signature);
  if (oid?.[0] !== 0x06 || bits[0] !== 0) throw invalid('the CSR signature is malformed');
  return {
    info,
    subject,
    spki,
    extensions: requestedExtensions(attributes?.[0] === 0xa0 ? attributes : undefined),
    algorithm: decodeOid(derContent(oid)),
    signature: bits.subarray(1),
  };
}

function subjectAltNames(extensions: readonly ExtensionFields[]): SubjectAltNames {
  const san = {
    dns: [] as string[],
    ip: [] as string[],
    email: [] as string[],
    uri: [] as string[],
  };
  const value = extensions.find((e) => e.oid === OID.subjectAltName)?.value;
  for (const name of value === undefined ? [] : derChildren(value)) {
    const text = (): string => Buffer.from(derContent(name)).toString('latin1');
    // Other kinds (otherName, directoryName, …) are not issued, so they are not reported.
    if (name[0] === 0x82) san.dns.push(text());
    else if (name[0] === 0x87) san.ip.push(ipAddressText(derContent(name)));
    else if (name[0] === 0x81) san.email.push(text());
    else if (name[0] === 0x86) san.uri.push(text());
  }
  return san;
}

function requestsCa(extensions: readonly ExtensionFields[]): boolean {
  const value = extensions.find((e) => e.oid === OID.basicConstraints)?.value;
  const first = value === undefined ? undefined : derChildren(value)[0];
  return first?.[0] === 0x01 && derContent(first)[0] !== 0;
}

async function verifySignature(
  parts: CsrParts,
  key: KeyObject,
  kty: KeyInfo['kty'],
): Promise<void> {
  const weak = WEAK_SIGNATURES[parts.algorithm];
  if (weak !== undefined) throw invalid(`the CSR is signed with ${weak}, which is not allowed`);
  const algorithm = SIGNATURES[parts.algorithm];
  if (algorithm === undefined)
    throw invalid(`CSR signature algorithm ${parts.algorithm} is not supported`);
  if (algorithm.kty !== kty) throw invalid('the CSR signature algorithm does not match its key');
  // The callback form verifies on the libuv thread pool, off the event loop. Its errors (a
  // signature that is not even well-formed) become invalid-csr in parseCsr.
  const ok = await new Promise<boolean>((resolve, reject) => {
    verify(
      algorithm.hash,
      parts.info,
      { key, dsaEncoding: 'der' },
      parts.signature,
      (err, valid) => (err === null ? resolve(valid) : reject(err)),
    );
  });
  if (!ok) throw invalid('the CSR signature does not verify (RFC 2986 §4.2)');
}

/** Reads and verifies a CSR (PEM `CERTIFICATE REQUEST` or `NEW CERTIFICATE REQUEST`, or DER). */
export async function parseCsr(input: string | Uint8Array): Promise<CsrSummary> {
  try {
    const parts = readCsr(csrDer(input));
    let key: KeyObject;
    try {
      key = createPublicKey({ key: Buffer.from(parts.spki), format: 'der', type: 'spki' });
    } catch (err) {
      throw invalid('the CSR public key cannot be read', err);
    }
    const info = keyInfoOf(key);
    await verifySignature(parts, key, info.kty);
    return {
      subject: nameAttributes(parts.subject),
      key: info,
      san: subjectAltNames(parts.extensions),
      requestsCa: requestsCa(parts.extensions),
      requestedExtensions: parts.extensions.map((e) => e.oid),
      spki: new Uint8Array(parts.spki),
    };
  } catch (err) {
    if (isCaError(err)) throw err;
    throw invalid('the CSR is not a well-formed PKCS#10 CertificationRequest', err);
  }
}
