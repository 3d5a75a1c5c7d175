// A certificate profile: the YAML file an operator reads and edits (services/ca/profiles/*.yaml)
// and the rules enrollment applies to a CSR through it: key types and sizes, validity, subject and
// SAN rules, key usage per key type, extended key usage, basic constraints, OCSP no-check and the
// approval step. The schema rejects unknown keys and inconsistent combinations (a CA profile
// without keyCertSign, a timestamping EKU beside others, …) when the file loads, not at issuance.
import { z } from 'zod';
import { KEY_USAGES, type KeyUsageName } from './certificate-request.js';
import { hostNameProblem, SAN_KINDS } from './san-rules.js';

/** RFC 5280 §4.2.1.12 (and RFC 3161 §2.3, RFC 6960 §4.2.2.2) key purpose OIDs by name. */
export const EXTENDED_KEY_USAGE_OIDS = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
} as const;
export type ExtendedKeyUsageName = keyof typeof EXTENDED_KEY_USAGE_OIDS;
const EKU_NAMES = Object.keys(EXTENDED_KEY_USAGE_OIDS) as [
  ExtendedKeyUsageName,
  ...ExtendedKeyUsageName[],
];

/** Subject attribute short names (OpenSSL's spelling; E is emailAddress) and their OIDs. */
export const SUBJECT_ATTRIBUTE_OIDS = {
  CN: '2.5.4.3',
  SN: '2.5.4.4', // surname
  serialNumber: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  street: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  title: '2.5.4.12',
  businessCategory: '2.5.4.15',
  postalCode: '2.5.4.17',
  GN: '2.5.4.42', // givenName
  initials: '2.5.4.43',
  generationQualifier: '2.5.4.44',
  dnQualifier: '2.5.4.46',
  pseudonym: '2.5.4.65',
  organizationIdentifier: '2.5.4.97',
  UID: '0.9.2342.19200300.100.1.1',
  DC: '0.9.2342.19200300.100.1.25',
  E: '1.2.840.113549.1.9.1',
  jurisdictionL: '1.3.6.1.4.1.311.60.2.1.1',
  jurisdictionST: '1.3.6.1.4.1.311.60.2.1.2',
  jurisdictionC: '1.3.6.1.4.1.311.60.2.1.3',
} as const;
export type SubjectAttributeName = keyof typeof SUBJECT_ATTRIBUTE_OIDS;
const ATTRIBUTE_NAMES = Object.keys(SUBJECT_ATTRIBUTE_OIDS) as [
  SubjectAttributeName,
  ...SubjectAttributeName[],
];

export const EC_CURVES = ['P-256', 'P-384', 'P-521'] as const;
export const KEY_TYPES = ['ec', 'rsa', 'ed25519'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/**
 * Key usage bits each key type can carry: RFC 8813 §3 (EC: never key or data encipherment),
 * RFC 3279 §2.3.1 (RSA: no key agreement), RFC 8410 §5 (Ed25519: signatures only).
 */
export const KEY_USAGES_BY_KEY_TYPE: Readonly<Record<KeyType, readonly KeyUsageName[]>> = {
  ec: [
    'digitalSignature',
    'nonRepudiation',
    'keyAgreement',
    'keyCertSign',
    'cRLSign',
    'encipherOnly',
    'decipherOnly',
  ],
  rsa: [
    'digitalSignature',
    'nonRepudiation',
    'keyEncipherment',
    'dataEncipherment',
    'keyCertSign',
    'cRLSign',
  ],
  ed25519: ['digitalSignature', 'nonRepudiation', 'keyCertSign', 'cRLSign'],
};

const uniqueList = <T extends z.ZodType>(item: T) =>
  z.array(item).refine((list) => new Set(list).size === list.length, 'has duplicate entries');

const rsaBits = z.number().int().min(2048).max(8192);

export const profileKeysSchema = z
  .strictObject({
    ec: uniqueList(z.enum(EC_CURVES))
      .min(1)
      .optional()
      .describe('EC curves allowed (absent: no EC keys).'),
    rsa: z
      .strictObject({
        minBits: rsaBits.describe('Smallest RSA modulus accepted, in bits (at least 2048).'),
        maxBits: rsaBits.describe('Largest RSA modulus accepted, in bits (at most 8192).'),
      })
      .refine((rsa) => rsa.minBits <= rsa.maxBits, {
        message: 'must not exceed maxBits',
        path: ['minBits'],
      })
      .optional()
      .describe('RSA modulus sizes allowed (absent: no RSA keys).'),
    ed25519: z.boolean().default(false).describe('Ed25519 keys allowed (RFC 8410).'),
  })
  .refine((keys) => keys.ec !== undefined || keys.rsa !== undefined || keys.ed25519, {
    message: 'allows no key type: give ec, rsa or ed25519',
  })
  .describe('Subject public key types and sizes the profile accepts.');

export const profileValiditySchema = z
  .strictObject({
    defaultDays: z
      .number()
      .int()
      .min(1)
      .max(36_500)
      .describe('Validity when the request names none, in days (counted inclusively).'),
    maxDays: z.number().int().min(1).max(36_500).describe('Longest validity accepted, in days.'),
  })
  .refine((v) => v.defaultDays <= v.maxDays, {
    message: 'must not exceed maxDays',
    path: ['defaultDays'],
  })
  .describe('Certificate lifetime; an operator limit can lower maxDays further.');

export const profileSubjectSchema = z
  .strictObject({
    allowed: uniqueList(z.enum(ATTRIBUTE_NAMES)).describe(
      'Subject attributes a request may carry (others are refused).',
    ),
    required: uniqueList(z.enum(ATTRIBUTE_NAMES))
      .default([])
      .describe('Subject attributes a request must carry.'),
    commonNameInSan: z
      .boolean()
      .default(false)
      .describe('A CN must equal one of the DNS or IP SANs (CA/B Forum BR §7.1.4.3).'),
  })
  .describe('Subject distinguished name rules.');

export const profileSanSchema = z
  .strictObject({
    dns: z.boolean().default(false).describe('dNSName SANs allowed.'),
    ip: z.boolean().default(false).describe('iPAddress SANs allowed.'),
    email: z.boolean().default(false).describe('rfc822Name (e-mail) SANs allowed.'),
    uri: z.boolean().default(false).describe('uniformResourceIdentifier SANs allowed.'),
    minimum: z.number().int().min(0).max(1000).default(0).describe('Fewest SANs, all kinds.'),
    wildcards: z.boolean().default(false).describe('DNS names may start with a "*." label.'),
    dnsSuffixes: uniqueList(
      z
        .string()
        .refine((suffix) => hostNameProblem(suffix) === undefined, 'must be a lowercase host name'),
    )
      .min(1)
      .optional()
      .describe(
        'Domains DNS names, e-mail domains and URI hosts must equal or fall under (absent: any).',
      ),
  })
  .describe('Subject alternative name rules (RFC 5280 §4.2.1.6).');

const keyUsageList = uniqueList(z.enum(KEY_USAGES)).min(1);

export const profileKeyUsageSchema = z
  .strictObject({
    ec: keyUsageList.optional().describe('Key usage bits for EC keys.'),
    rsa: keyUsageList.optional().describe('Key usage bits for RSA keys.'),
    ed25519: keyUsageList.optional().describe('Key usage bits for Ed25519 keys.'),
    critical: z.boolean().default(true).describe('Mark key usage critical (RFC 5280 §4.2.1.3).'),
  })
  .describe('Key usage bits per key type (RFC 5280 §4.2.1.3).');

export const profileExtendedKeyUsageSchema = z
  .strictObject({
    usages: uniqueList(z.enum(EKU_NAMES))
      .default([])
      .describe('Key purposes (empty: no extendedKeyUsage extension).'),
    critical: z.boolean().default(false).describe('Mark extended key usage critical.'),
  })
  .describe('Extended key usage (RFC 5280 §4.2.1.12).');

export const profileBasicConstraintsSchema = z
  .discriminatedUnion('ca', [
    z.strictObject({ ca: z.literal(false) }),
    z.strictObject({
      ca: z.literal(true),
      pathLength: z
        .number()
        .int()
        .min(0)
        .max(255)
        .optional()
        .describe('Most CA certificates that may follow this one in a path (absent: no limit).'),
    }),
  ])
  .describe('basicConstraints (RFC 5280 §4.2.1.9): ca true only for CA profiles.');

export const profileSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case')
      .max(63)
      .describe('Profile name in the API; equals the file name without .yaml.'),
    description: z.string().min(1).max(1024).describe('What the profile is for.'),
    kind: z.enum(['leaf', 'ca']).describe('End-entity or CA certificates.'),
    approval: z
      .enum(['none', 'required'])
      .default('none')
      .describe('required: enrollments wait for an admin to approve or reject them.'),
    keys: profileKeysSchema,
    validity: profileValiditySchema,
    subject: profileSubjectSchema,
    san: profileSanSchema,
    keyUsage: profileKeyUsageSchema,
    extendedKeyUsage: profileExtendedKeyUsageSchema
      .prefault({})
      .describe('Extended key usage (RFC 5280 §4.2.1.12); absent: none.'),
    basicConstraints: profileBasicConstraintsSchema,
    ocspNoCheck: z
      .boolean()
      .default(false)
      .describe('Add id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1): delegated OCSP responders only.'),
  })
  .superRefine((profile, ctx) => {
    for (const issue of consistencyIssues(profile)) ctx.addIssue({ code: 'custom', ...issue });
  })
  .describe('A certificate profile.');

export type Profile = z.infer<typeof profileSchema>;

interface Issue {
  readonly path: string[];
  readonly message: string;
}

/** Rules across sections, each reported at the field an operator must change. */
function consistencyIssues(profile: Profile): Issue[] {
  return [...keyUsageIssues(profile), ...nameIssues(profile), ...extensionIssues(profile)];
}

function keyUsageIssues(profile: Profile): Issue[] {
  const issues: Issue[] = [];
  const isCa = profile.kind === 'ca';
  for (const type of KEY_TYPES) {
    const allowed = type === 'ed25519' ? profile.keys.ed25519 : profile.keys[type] !== undefined;
    const usages = profile.keyUsage[type];
    const path = ['keyUsage', type];
    if (usages === undefined) {
      if (allowed) issues.push({ path, message: `required: keys allows ${type} keys` });
      continue;
    }
    if (!allowed) issues.push({ path, message: `keys does not allow ${type} keys` });
    for (const usage of usages) {
      if (!KEY_USAGES_BY_KEY_TYPE[type].includes(usage)) {
        issues.push({ path, message: `${usage} is not a usage of ${type} keys` });
      }
    }
    // RFC 5280 §4.2.1.3: encipherOnly and decipherOnly qualify keyAgreement.
    const qualifier = usages.find((u) => u === 'encipherOnly' || u === 'decipherOnly');
    if (qualifier !== undefined && !usages.includes('keyAgreement')) {
      issues.push({ path, message: `${qualifier} requires keyAgreement` });
    }
    // RFC 5280 §4.2.1.9: keyCertSign exactly when the certificate is a CA.
    if (isCa !== usages.includes('keyCertSign')) {
      issues.push({ path, message: `keyCertSign ${isCa ? 'is required for' : 'needs'} kind ca` });
    }
  }
  return issues;
}

function nameIssues(profile: Profile): Issue[] {
  const issues: Issue[] = [];
  const { subject, san } = profile;
  for (const name of subject.required) {
    if (!subject.allowed.includes(name)) {
      issues.push({ path: ['subject', 'required'], message: `${name} is not in subject.allowed` });
    }
  }
  if (subject.commonNameInSan && !(subject.allowed.includes('CN') && (san.dns || san.ip))) {
    issues.push({
      path: ['subject', 'commonNameInSan'],
      message: 'needs CN in subject.allowed and san.dns or san.ip',
    });
  }
  if (san.wildcards && !san.dns) {
    issues.push({ path: ['san', 'wildcards'], message: 'needs san.dns' });
  }
  if (san.minimum > 0 && !SAN_KINDS.some((kind) => san[kind])) {
    issues.push({ path: ['san', 'minimum'], message: 'no SAN kind is allowed' });
  }
  if (san.dnsSuffixes !== undefined && !(san.dns || san.email || san.uri)) {
    issues.push({ path: ['san', 'dnsSuffixes'], message: 'needs san.dns, san.email or san.uri' });
  }
  return issues;
}

function extensionIssues(profile: Profile): Issue[] {
  const issues: Issue[] = [];
  if (profile.basicConstraints.ca !== (profile.kind === 'ca')) {
    issues.push({ path: ['basicConstraints', 'ca'], message: `must be ${profile.kind === 'ca'}` });
  }
  const eku = profile.extendedKeyUsage;
  if (eku.critical && eku.usages.length === 0) {
    issues.push({ path: ['extendedKeyUsage', 'critical'], message: 'no usages to mark critical' });
  }
  // RFC 3161 §2.3: a TSA certificate has timeStamping as its only, critical, key purpose.
  if (eku.usages.includes('timeStamping') && (eku.usages.length !== 1 || !eku.critical)) {
    issues.push({
      path: ['extendedKeyUsage'],
      message: 'timeStamping must be the only usage and critical (RFC 3161 §2.3)',
    });
  }
  if (profile.ocspNoCheck && (profile.kind !== 'leaf' || !eku.usages.includes('OCSPSigning'))) {
    issues.push({ path: ['ocspNoCheck'], message: 'only for leaf profiles with OCSPSigning' });
  }
  return issues;
}
