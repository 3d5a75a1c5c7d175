// x5c (RFC 7515 §4.1.6) on verify: a signature that carries a certificate chain instead of a
// kid is checked with the leaf's key, after the chain is shown to lead to one of the configured
// trust anchors: each certificate issued and signed by the next, every issuer a CA, every
// certificate valid now, and the last one issued and signed by an anchor (or being one).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '@cryptoutil/config';

/** Why a chain was refused; the message is safe to show (no certificate contents). */
export class ChainError extends Error {
  override readonly name = 'ChainError';
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads every certificate of the given PEM files (`jose.trustAnchors`). A file that cannot be
 * read or holds a broken certificate is a ConfigError naming its key path, so the service
 * refuses to start with exit 2 and says which file.
 */
export function loadTrustAnchors(files: readonly string[]): X509Certificate[] {
  return files.flatMap((file, i) => {
    const problem = (message: string) =>
      new ConfigError([{ path: `jose.trustAnchors.${i}`, message: `${file}: ${message}` }]);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw problem(`cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const pems = text.match(PEM) ?? [];
    try {
      return pems.map((pem) => new X509Certificate(pem));
    } catch {
      throw problem('holds a certificate that does not parse');
    }
  });
}

const MAX_CHAIN = 10;

function parseChain(x5c: unknown): X509Certificate[] {
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_CHAIN) {
    throw new ChainError(`x5c must be an array of 1 to ${MAX_CHAIN} certificates`);
  }
  return x5c.map((entry) => {
    // RFC 7515 §4.1.6: base64 (not base64url) DER.
    if (typeof entry !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(entry)) {
      throw new ChainError('x5c entries must be base64 DER certificates');
    }
    try {
      return new X509Certificate(Buffer.from(entry, 'base64'));
    } catch {
      throw new ChainError('an x5c entry is not a certificate');
    }
  });
}

function validAt(cert: X509Certificate, now: Date): boolean {
  return cert.validFromDate <= now && now <= cert.validToDate;
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return issuer.ca && cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

/** The leaf of a chain that leads to an anchor, valid at `now`; throws ChainError otherwise. */
export function validateChain(
  x5c: unknown,
  anchors: readonly X509Certificate[],
  now: Date,
): X509Certificate {
  if (anchors.length === 0) throw new ChainError('no trust anchors are configured for x5c');
  const chain = parseChain(x5c);
  for (const cert of chain) {
    if (!validAt(cert, now)) throw new ChainError('a certificate of the chain is not valid now');
  }
  for (let i = 0; i + 1 < chain.length; i += 1) {
    if (!issuedBy(chain[i] as X509Certificate, chain[i + 1] as X509Certificate)) {
      throw new ChainError('the x5c certificates do not form a chain');
    }
  }
  const last = chain[chain.length - 1] as X509Certificate;
  const anchored = anchors.some(
    (anchor) =>
      validAt(anchor, now) &&
      (anchor.fingerprint256 === last.fingerprint256 || issuedBy(last, anchor)),
  );
  if (!anchored) throw new ChainError('the x5c chain does not lead to a trust anchor');
  return chain[0] as X509Certificate;
}
