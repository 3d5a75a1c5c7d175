// Enrollment's rule engine: a verified CSR summary judged against a profile, giving the issuance
// plan a certificate is built from or a CaError naming the rule and the offending value. Order:
// key, CA request, names (subject, SANs), validity. Pure: no crypto, no I/O.
import { CaError } from './ca-error.js';
import type {
  CsrSummary,
  IssuancePlan,
  KeyInfo,
  KeyUsageName,
  NameAttribute,
  SubjectAltNames,
} from './certificate-request.js';
import { EXTENDED_KEY_USAGE_OIDS, type KeyType, type Profile } from './profile.js';
import { canonicalIp, checkSans } from './san-rules.js';

export interface ApplyProfileRequest {
  /** Requested validity in days (counted inclusively); absent: the profile's default. */
  readonly validityDays?: number;
  readonly now: Date;
  /** Operator limit: lowers the profile's validity.maxDays, never raises it. */
  readonly maxValidityDays?: number;
}

const DAY_MS = 86_400_000;
// CA/B Forum BR §6.1.5, NIST SP 800-131A: no RSA modulus under 2048 bits, whatever the profile.
const RSA_FLOOR_BITS = 2048;

export function applyProfile(
  profile: Profile,
  csr: CsrSummary,
  request: ApplyProfileRequest,
): IssuancePlan {
  if (Number.isNaN(request.now.getTime())) throw new TypeError('request.now is an invalid date');
  const keyUsage = checkKey(profile, csr.key);
  if (csr.requestsCa && profile.kind !== 'ca') {
    refuse(profile, 'profile-violation', 'kind: a leaf profile does not issue CA certificates');
  }
  const san = checkSans(profile.id, profile.san, csr.san);
  const subject = checkSubject(profile, csr.subject, san);
  const days = validityDays(profile, request);
  const notBefore = new Date(Math.floor(request.now.getTime() / 1000) * 1000);
  // The BR count both ends: a d-day certificate spans d·86400 s from notBefore to notAfter.
  const notAfter = new Date(notBefore.getTime() + days * DAY_MS - 1000);
  const eku = profile.extendedKeyUsage;
  return {
    profileId: profile.id,
    subject,
    san,
    notBefore,
    notAfter,
    keyUsage,
    keyUsageCritical: profile.keyUsage.critical,
    extendedKeyUsage: eku.usages.map((name) => EXTENDED_KEY_USAGE_OIDS[name]),
    extendedKeyUsageCritical: eku.critical,
    basicConstraints: basicConstraintsOf(profile),
    ocspNoCheck: profile.ocspNoCheck,
    // RFC 5280 §4.2.1.6: the SAN extension is critical when the subject is empty.
    sanCritical: subject.length === 0,
  };
}

function refuse(profile: Profile, code: CaError['code'], message: string): never {
  throw new CaError(code, `profile ${profile.id}: ${message}`);
}

function keyTypeOf(key: KeyInfo): KeyType {
  switch (key.kty) {
    case 'EC':
      return 'ec';
    case 'RSA':
      return 'rsa';
    case 'OKP':
      return 'ed25519';
  }
}

/** Checks the key against keys.*, returning the key usage bits for its type. */
function checkKey(profile: Profile, key: KeyInfo): readonly KeyUsageName[] {
  const { keys } = profile;
  const deny = (message: string): never => refuse(profile, 'key-not-allowed', message);
  switch (key.kty) {
    case 'EC':
      if (keys.ec === undefined) deny('keys.ec: EC keys are not allowed');
      else if (!keys.ec.includes(key.curve)) {
        deny(`keys.ec: curve ${key.curve} is not allowed (allowed: ${keys.ec.join(', ')})`);
      }
      break;
    case 'RSA':
      if (key.bits < RSA_FLOOR_BITS) deny(`keys.rsa: RSA-${key.bits} is under 2048 bits`);
      if (keys.rsa === undefined) deny('keys.rsa: RSA keys are not allowed');
      else if (key.bits < keys.rsa.minBits || key.bits > keys.rsa.maxBits) {
        deny(`keys.rsa: RSA-${key.bits} is outside ${keys.rsa.minBits}-${keys.rsa.maxBits} bits`);
      }
      break;
    case 'OKP':
      if (!keys.ed25519) deny('keys.ed25519: Ed25519 keys are not allowed');
      break;
  }
  const type = keyTypeOf(key);
  return profile.keyUsage[type] ?? deny(`keyUsage.${type}: no key usage for ${type} keys`);
}

/** Checks the subject's attributes; a CN that must be a SAN takes the SAN's normalized form. */
/** RFC 5280 Appendix A upper bounds (ub-*) of the attributes that have one, in characters. */
const UPPER_BOUNDS: Readonly<Record<string, number>> = {
  CN: 64,
  O: 64,
  OU: 64,
  L: 128,
  ST: 128,
  serialNumber: 64,
  title: 64,
  SN: 40,
  GN: 16,
  initials: 5,
  generationQualifier: 3,
  pseudonym: 128,
  postalCode: 40,
  E: 255,
};
const DEFAULT_UPPER_BOUND = 256;

function checkSubject(
  profile: Profile,
  subject: readonly NameAttribute[],
  san: SubjectAltNames,
): readonly NameAttribute[] {
  const deny = (message: string): never => refuse(profile, 'name-not-allowed', message);
  const rules = profile.subject;
  const allowed: readonly string[] = rules.allowed;
  for (const { type, value } of subject) {
    if (!allowed.includes(type)) deny(`subject.allowed: attribute ${type} is not allowed`);
    if (value.trim().length === 0) deny(`subject: attribute ${type} is empty`);
    const bound = UPPER_BOUNDS[type] ?? DEFAULT_UPPER_BOUND;
    if ([...value].length > bound) {
      deny(`subject: attribute ${type} is longer than ${bound} characters (RFC 5280 Appendix A)`);
    }
    // RFC 5280 Appendix A: X520countryName is two letters (ISO 3166-1 alpha-2).
    if (type === 'C' && !/^[A-Z]{2}$/.test(value)) {
      deny(`subject: C "${value}" is not a two-letter country code`);
    }
  }
  for (const type of rules.required) {
    if (!subject.some((a) => a.type === type)) deny(`subject.required: ${type} is missing`);
  }
  const commonNames = subject.filter((a) => a.type === 'CN');
  // CA/B Forum BR §7.1.4.3: at most one commonName.
  if (commonNames.length > 1) deny('subject: CN appears more than once');
  if (subject.length === 0) {
    const sans = san.dns.length + san.ip.length + san.email.length + san.uri.length;
    if (sans === 0) deny('san: an empty subject requires a SAN (RFC 5280 §4.2.1.6)');
    return subject;
  }
  const cn = commonNames[0];
  if (cn === undefined || !rules.commonNameInSan) return subject;
  const asSan =
    sanFormOf(cn.value, san) ??
    deny(`subject.commonNameInSan: CN "${cn.value}" is not among the DNS or IP SANs`);
  return subject.map((a) => (a === cn ? { type: 'CN', value: asSan } : a));
}

function basicConstraintsOf(profile: Profile): IssuancePlan['basicConstraints'] {
  const constraints = profile.basicConstraints;
  if (!constraints.ca) return { ca: false };
  const { pathLength } = constraints;
  return pathLength === undefined ? { ca: true } : { ca: true, pathLength };
}

/** The DNS or IP SAN a common name stands for, if any. */
function sanFormOf(commonName: string, san: SubjectAltNames): string | undefined {
  const dns = commonName.toLowerCase();
  if (san.dns.includes(dns)) return dns;
  const ip = canonicalIp(commonName);
  return ip !== undefined && san.ip.includes(ip) ? ip : undefined;
}

function validityDays(profile: Profile, request: ApplyProfileRequest): number {
  const limit = request.maxValidityDays;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new TypeError('maxValidityDays must be a positive integer');
  }
  const max = Math.min(profile.validity.maxDays, limit ?? Infinity);
  const requested = request.validityDays;
  if (requested === undefined) return Math.min(profile.validity.defaultDays, max);
  if (!Number.isInteger(requested) || requested <= 0) {
    refuse(profile, 'invalid-request', `validityDays: ${requested} is not a positive integer`);
  }
  if (requested > max) {
    const source = max < profile.validity.maxDays ? 'operator limit' : 'validity.maxDays';
    refuse(
      profile,
      'validity-not-allowed',
      `${source}: ${requested} days exceeds the maximum of ${max} days`,
    );
  }
  return requested;
}
