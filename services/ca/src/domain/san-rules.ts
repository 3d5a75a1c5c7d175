// Subject alternative name rules (RFC 5280 §4.2.1.6): what a well-formed DNS name, IP address,
// e-mail address and URI look like, and how a profile's SAN section judges a request's names.
// Accepted names come back normalized (DNS names and e-mail domains lowercased, IPv6 in RFC 5952
// form) and de-duplicated in request order. Pure: no I/O.
import { isIP } from 'node:net';
import { CaError } from './ca-error.js';
import type { SubjectAltNames } from './certificate-request.js';

/** The SAN section of a profile, as profile.ts declares it. */
export interface SanRules {
  readonly dns: boolean;
  readonly ip: boolean;
  readonly email: boolean;
  readonly uri: boolean;
  readonly minimum: number;
  readonly wildcards: boolean;
  readonly dnsSuffixes?: readonly string[] | undefined;
}

export const SAN_KINDS = ['dns', 'ip', 'email', 'uri'] as const;
export type SanKind = (typeof SAN_KINDS)[number];

// RFC 1034 §3.5 / RFC 1123 §2.1 LDH label: letters, digits, inner hyphens, 1-63 characters.
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// IA5String (RFC 5280 §4.2.1.6): printable ASCII without spaces for mailboxes and URIs.
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const URI_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Why `name` (lowercase) is not an LDH host name, or undefined if it is. Single-label names
 * (`localhost`) pass: private PKIs use them, and publicly-trusted issuance is not this check's job.
 */
export function hostNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 253) return 'is longer than 253 characters';
  const labels = name.split('.');
  for (const label of labels) {
    if (label.length === 0) return 'has an empty label';
    if (label.length > 63) return 'has a label longer than 63 characters';
    if (!LDH_LABEL.test(label))
      return `has a label "${label}" that is not letters, digits, hyphens`;
  }
  // RFC 3696 §2: a top-level domain is never all-numeric (this also refuses IPv4 text).
  if (/^[0-9]+$/.test(labels.at(-1) ?? '')) return 'has an all-numeric top-level label';
  return undefined;
}

/** Why `name` (lowercase) is not an acceptable dNSName SAN, or undefined if it is. */
export function dnsNameProblem(name: string, wildcards: boolean): string | undefined {
  if (!name.includes('*')) return hostNameProblem(name);
  // CA/B Forum BR §7.1.2.7.12: a wildcard is the whole leftmost label only.
  if (!name.startsWith('*.') || name.indexOf('*', 1) !== -1) {
    return 'has a wildcard that is not the whole leftmost label';
  }
  if (!wildcards) return 'is a wildcard, which the profile does not allow';
  const base = name.slice(2);
  if (!base.includes('.')) return 'is a wildcard over a single label (e.g. *.tld)';
  return hostNameProblem(base);
}

/** The canonical text of an IPv4 or IPv6 address (RFC 5952 for IPv6), or undefined. */
export function canonicalIp(text: string): string | undefined {
  const version = isIP(text);
  if (version === 4) return text;
  if (version !== 6 || text.includes('%')) return undefined; // a zone id has no place in a SAN
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

/** Why `address` is not an rfc822Name mailbox (local@domain), or undefined if it is. */
export function emailProblem(address: string): string | undefined {
  if (!PRINTABLE_ASCII.test(address)) return 'is not printable ASCII without spaces';
  const parts = address.split('@');
  if (parts.length !== 2) return "does not have exactly one '@'";
  const [local = '', domain = ''] = parts;
  if (local.length === 0 || local.length > 64) return 'has a local part of 0 or over 64 characters';
  const problem = hostNameProblem(domain.toLowerCase());
  return problem === undefined ? undefined : `has a domain that ${problem}`;
}

/** Why `uri` is not an absolute uniformResourceIdentifier, or undefined if it is. */
export function uriProblem(uri: string): string | undefined {
  if (!PRINTABLE_ASCII.test(uri)) return 'is not printable ASCII without spaces';
  // RFC 5280 §4.2.1.6: the name MUST NOT be relative; it includes a scheme.
  if (!URI_SCHEME.test(uri) || !URL.canParse(uri)) return 'is not an absolute URI with a scheme';
  return undefined;
}

/** Whether `host` equals one of `suffixes` or ends with '.' + one of them. */
export function isWithinSuffixes(host: string, suffixes: readonly string[]): boolean {
  return suffixes.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

/** The host name a URI names, if it names one (not an IP literal, not a URN). */
function uriHost(uri: string): string | undefined {
  const host = new URL(uri).hostname.toLowerCase();
  if (host === '' || host.startsWith('[') || isIP(host) !== 0) return undefined;
  return host;
}

function refuse(profileId: string, message: string): never {
  throw new CaError('name-not-allowed', `profile ${profileId}: ${message}`);
}

/** The request's SANs checked against `rules`, normalized and de-duplicated. */
/** The most SANs one certificate carries (Let's Encrypt's bound too); more is refused. */
export const MAX_SANS = 100;

export function checkSans(
  profileId: string,
  rules: SanRules,
  san: SubjectAltNames,
): SubjectAltNames {
  const given = SAN_KINDS.reduce((n, kind) => n + san[kind].length, 0);
  if (given > MAX_SANS) {
    refuse(profileId, `san: ${given} SANs given, at most ${MAX_SANS} are allowed`);
  }
  for (const kind of SAN_KINDS) {
    const first = san[kind][0];
    if (first !== undefined && !rules[kind]) {
      refuse(profileId, `san.${kind}: ${kind} names are not allowed (got "${first}")`);
    }
  }
  const dns = unique(san.dns.map((name) => name.toLowerCase()));
  for (const name of dns) {
    const problem = dnsNameProblem(name, rules.wildcards);
    if (problem !== undefined) refuse(profileId, `san.dns: "${name}" ${problem}`);
  }
  const ip = unique(
    san.ip.map((text) => canonicalIp(text) ?? refuse(profileId, `san.ip: "${text}" is not an IP`)),
  );
  const email = unique(
    san.email.map((address) => {
      const problem = emailProblem(address);
      if (problem !== undefined) refuse(profileId, `san.email: "${address}" ${problem}`);
      const at = address.indexOf('@');
      return address.slice(0, at) + address.slice(at).toLowerCase();
    }),
  );
  const uri = unique(san.uri);
  for (const value of uri) {
    const problem = uriProblem(value);
    if (problem !== undefined) refuse(profileId, `san.uri: "${value}" ${problem}`);
  }
  const total = dns.length + ip.length + email.length + uri.length;
  if (total < rules.minimum) {
    refuse(profileId, `san.minimum: ${total} SANs given, at least ${rules.minimum} required`);
  }
  if (rules.dnsSuffixes !== undefined) checkSuffixes(profileId, rules.dnsSuffixes, dns, email, uri);
  return { dns, ip, email, uri };
}

function checkSuffixes(
  profileId: string,
  suffixes: readonly string[],
  dns: readonly string[],
  email: readonly string[],
  uri: readonly string[],
): void {
  const hosts: [string, string | undefined][] = [
    ...dns.map((name): [string, string] => [name, name.replace(/^\*\./, '')]),
    ...email.map((address): [string, string] => [address, address.slice(address.indexOf('@') + 1)]),
    ...uri.map((value): [string, string | undefined] => [value, uriHost(value)]),
  ];
  for (const [name, host] of hosts) {
    if (host !== undefined && !isWithinSuffixes(host, suffixes)) {
      refuse(profileId, `san.dnsSuffixes: "${name}" is outside ${suffixes.join(', ')}`);
    }
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
