// Reads a certificate the way a relying party's tools show it: `openssl x509 -text -noout` split
// into its fields and X509v3 extensions (name, criticality, value lines), and the DER facts that
// the text hides (the serial INTEGER's octets, the exact validity times) from `openssl asn1parse`.
import { expect } from 'vitest';
import { openssl } from './openssl.js';

export interface X509Extension {
  readonly critical: boolean;
  /** The value lines, trimmed, joined by '\n'. */
  readonly value: string;
}

export interface X509Text {
  readonly text: string;
  readonly signatureAlgorithm: string;
  readonly subject: string;
  readonly issuer: string;
  /** `Public-Key: (256 bit)` and the like, or `ED25519 Public-Key:`. */
  readonly publicKey: string;
  readonly extensions: ReadonlyMap<string, X509Extension>;
  /** The serial INTEGER as asn1parse prints it (hex, `-` first when negative). */
  readonly serialHex: string;
  /** Octets of the serial INTEGER's contents. */
  readonly serialOctets: number;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

function must(value: string | undefined, what: string): string {
  if (value === undefined) throw new Error(`openssl output has no ${what}`);
  return value;
}

function parseExtensions(text: string): Map<string, X509Extension> {
  const extensions = new Map<string, X509Extension>();
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === 'X509v3 extensions:');
  if (start === -1) return extensions;
  let current: { name: string; critical: boolean; value: string[] } | undefined;
  const flush = () => {
    if (current !== undefined) {
      extensions.set(current.name, {
        critical: current.critical,
        value: current.value.join('\n'),
      });
    }
  };
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('            ')) break; // the outer Signature Algorithm line
    const header = /^ {12}(\S.*?):\s*(critical)?\s*$/.exec(line);
    if (header !== null) {
      flush();
      current = { name: header[1] as string, critical: header[2] === 'critical', value: [] };
    } else current?.value.push(line.trim());
  }
  flush();
  return extensions;
}

/** 'YYMMDDhhmmssZ' (UTCTime, RFC 5280 §4.1.2.5.1) or 'YYYYMMDDhhmmssZ' (GeneralizedTime). */
function parseAsn1Time(value: string): Date {
  const full =
    value.length === 13 ? `${Number(value.slice(0, 2)) < 50 ? '20' : '19'}${value}` : value;
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) =>
    Number(full.slice(at, i === 0 ? 4 : at + 2)),
  ) as [number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/** Reads `file` (PEM) in `dir` with openssl; fails the test when openssl cannot. */
export function readX509(dir: string, file: string): X509Text {
  const run = openssl(['x509', '-in', file, '-noout', '-text'], dir);
  expect(run.status, run.stderr).toBe(0);
  const text = run.stdout;
  const asn1 = openssl(['asn1parse', '-in', file], dir);
  expect(asn1.status, asn1.stderr).toBe(0);
  // TBSCertificate: [0] version, then the serial INTEGER, at depth 2 (RFC 5280 §4.1).
  const serial = /^\s*\d+:d=2\s+hl=\d+\s+l=\s*(\d+)\s+prim:\s+INTEGER\s+:(\S+)$/m.exec(asn1.stdout);
  const times = [
    ...asn1.stdout.matchAll(/d=3\s+hl=\d+\s+l=\s*\d+\s+prim:\s+(?:UTC|GENERALIZED)TIME\s+:(\S+)/g),
  ].map((m) => parseAsn1Time(m[1] as string));
  const [notBefore, notAfter] = times;
  if (notBefore === undefined || notAfter === undefined)
    throw new Error('no validity in asn1parse');
  return {
    text,
    signatureAlgorithm: must(/Signature Algorithm: (\S+)/.exec(text)?.[1], 'signature algorithm'),
    subject: must(/^\s+Subject:(.*)$/m.exec(text)?.[1], 'subject').trim(),
    issuer: must(/^\s+Issuer:(.*)$/m.exec(text)?.[1], 'issuer').trim(),
    publicKey: must(/^\s+((?:ED25519 )?Public-Key:.*)$/m.exec(text)?.[1], 'public key').trim(),
    extensions: parseExtensions(text),
    serialHex: must(serial?.[2], 'serial'),
    serialOctets: Number(must(serial?.[1], 'serial length')),
    notBefore,
    notAfter,
  };
}
