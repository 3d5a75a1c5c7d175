// The profile schema: defaults, strictness, and every rule across sections reported at the field
// an operator must change (key usage per key type, CA bits, names, EKU, OCSP no-check).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  EXTENDED_KEY_USAGE_OIDS,
  KEY_USAGES_BY_KEY_TYPE,
  profileSchema,
  SUBJECT_ATTRIBUTE_OIDS,
} from './profile.js';

/** A minimal valid leaf profile, as YAML would give it. */
const BASE = {
  id: 'web',
  description: 'Web servers',
  kind: 'leaf',
  keys: { ec: ['P-256'] },
  validity: { defaultDays: 30, maxDays: 60 },
  subject: { allowed: ['CN'] },
  san: { dns: true, minimum: 1 },
  keyUsage: { ec: ['digitalSignature'] },
  basicConstraints: { ca: false },
};

type Input = Record<string, unknown>;

/** The schema's issues for BASE with `changes` merged one level deep, as path and message. */
function issues(changes: Input): { path: string; message: string }[] {
  const input: Input = { ...BASE };
  for (const [key, value] of Object.entries(changes)) {
    const base = input[key];
    input[key] =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      typeof base === 'object'
        ? { ...base, ...value }
        : value;
  }
  const result = profileSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('profileSchema', () => {
  it('fills the defaults', () => {
    expect(profileSchema.parse(BASE)).toEqual({
      ...BASE,
      approval: 'none',
      keys: { ec: ['P-256'], ed25519: false },
      subject: { allowed: ['CN'], required: [], commonNameInSan: false },
      san: { dns: true, ip: false, email: false, uri: false, minimum: 1, wildcards: false },
      keyUsage: { ec: ['digitalSignature'], critical: true },
      extendedKeyUsage: { usages: [], critical: false },
      ocspNoCheck: false,
    });
  });

  it('describes every field for the docs, two levels deep', () => {
    const undescribed: string[] = [];
    for (const [key, field] of Object.entries(profileSchema.shape)) {
      if (!field.description) undescribed.push(key);
      let inner: z.ZodType = field;
      while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault) {
        inner = inner.def.innerType as z.ZodType;
      }
      if (!(inner instanceof z.ZodObject)) continue;
      for (const [member, schema] of Object.entries(inner.shape)) {
        if (!schema.description) undescribed.push(`${key}.${member}`);
      }
    }
    expect(undescribed).toEqual([]);
  });

  it.each([
    [{ id: 'Web_Server' }, 'id', 'must be kebab-case'],
    [
      { keys: { ec: undefined }, keyUsage: { ec: undefined } },
      'keys',
      'allows no key type: give ec, rsa or ed25519',
    ],
    [{ keys: { ec: ['P-256', 'P-256'] } }, 'keys.ec', 'has duplicate entries'],
    [
      { keys: { rsa: { minBits: 4096, maxBits: 3072 } }, keyUsage: { rsa: ['digitalSignature'] } },
      'keys.rsa.minBits',
      'must not exceed maxBits',
    ],
    [
      { keys: { rsa: { minBits: 2048, maxBits: 16384 } }, keyUsage: { rsa: ['digitalSignature'] } },
      'keys.rsa.maxBits',
      'Too big: expected number to be <=8192',
    ],
    [{ validity: { defaultDays: 90 } }, 'validity.defaultDays', 'must not exceed maxDays'],
    [
      { validity: { defaultDays: 0 } },
      'validity.defaultDays',
      'Too small: expected number to be >=1',
    ],
    [
      { subject: { allowed: ['CN', 'commonName'] } },
      'subject.allowed.1',
      expect.stringMatching(/^Invalid option/),
    ],
    [{ subject: { required: ['O'] } }, 'subject.required', 'O is not in subject.allowed'],
    [
      { subject: { commonNameInSan: true }, san: { dns: false, email: true } },
      'subject.commonNameInSan',
      'needs CN in subject.allowed and san.dns or san.ip',
    ],
    [{ san: { dns: false, wildcards: true, minimum: 0 } }, 'san.wildcards', 'needs san.dns'],
    [{ san: { dns: false } }, 'san.minimum', 'no SAN kind is allowed'],
    [
      { san: { dns: false, ip: true, dnsSuffixes: ['example.com'] } },
      'san.dnsSuffixes',
      'needs san.dns, san.email or san.uri',
    ],
    [
      { san: { dnsSuffixes: ['Example.com'] } },
      'san.dnsSuffixes.0',
      'must be a lowercase host name',
    ],
    [
      { san: { dnsSuffixes: [] } },
      'san.dnsSuffixes',
      'Too small: expected array to have >=1 items',
    ],
    [{ keyUsage: { ec: undefined } }, 'keyUsage.ec', 'required: keys allows ec keys'],
    [{ keyUsage: { ec: [] } }, 'keyUsage.ec', 'Too small: expected array to have >=1 items'],
    [{ keyUsage: { rsa: ['digitalSignature'] } }, 'keyUsage.rsa', 'keys does not allow rsa keys'],
    [
      { keyUsage: { ec: ['keyEncipherment'] } },
      'keyUsage.ec',
      'keyEncipherment is not a usage of ec keys',
    ],
    [{ keyUsage: { ec: ['keyAgreement', 'encipherOnly', 'decipherOnly'] } }, '', 'no issue'],
    [{ keyUsage: { ec: ['decipherOnly'] } }, 'keyUsage.ec', 'decipherOnly requires keyAgreement'],
    [{ keyUsage: { ec: ['keyCertSign'] } }, 'keyUsage.ec', 'keyCertSign needs kind ca'],
    [
      { keys: { ed25519: true }, keyUsage: { ed25519: ['keyAgreement'] } },
      'keyUsage.ed25519',
      'keyAgreement is not a usage of ed25519 keys',
    ],
    [{ basicConstraints: { ca: true } }, 'basicConstraints.ca', 'must be false'],
    [
      { basicConstraints: { ca: false, pathLength: 0 } },
      'basicConstraints',
      'Unrecognized key: "pathLength"',
    ],
    [
      { extendedKeyUsage: { critical: true } },
      'extendedKeyUsage.critical',
      'no usages to mark critical',
    ],
    [
      { extendedKeyUsage: { usages: ['timeStamping'] } },
      'extendedKeyUsage',
      'timeStamping must be the only usage and critical (RFC 3161 §2.3)',
    ],
    [
      { extendedKeyUsage: { usages: ['timeStamping', 'codeSigning'], critical: true } },
      'extendedKeyUsage',
      'timeStamping must be the only usage and critical (RFC 3161 §2.3)',
    ],
    [{ ocspNoCheck: true }, 'ocspNoCheck', 'only for leaf profiles with OCSPSigning'],
    [{ approval: 'maybe' }, 'approval', 'Invalid option: expected one of "none"|"required"'],
    [{ colour: 'blue' }, '', 'Unrecognized key: "colour"'],
  ])('%j fails at %s', (changes, path, message) => {
    const found = issues(changes);
    if (message === 'no issue') expect(found).toEqual([]);
    else expect(found).toEqual([{ path, message }]);
  });

  it('requires keyCertSign in every key usage list of a CA profile', () => {
    expect(
      issues({
        kind: 'ca',
        basicConstraints: { ca: true, pathLength: 1 },
        san: { dns: false, minimum: 0 },
      }),
    ).toEqual([{ path: 'keyUsage.ec', message: 'keyCertSign is required for kind ca' }]);
  });

  it('accepts an OCSP responder profile with no-check', () => {
    expect(issues({ ocspNoCheck: true, extendedKeyUsage: { usages: ['OCSPSigning'] } })).toEqual(
      [],
    );
  });
});

describe('tables', () => {
  it('maps EKU names to RFC 5280 §4.2.1.12 OIDs', () => {
    expect(EXTENDED_KEY_USAGE_OIDS).toEqual({
      serverAuth: '1.3.6.1.5.5.7.3.1',
      clientAuth: '1.3.6.1.5.5.7.3.2',
      codeSigning: '1.3.6.1.5.5.7.3.3',
      emailProtection: '1.3.6.1.5.5.7.3.4',
      timeStamping: '1.3.6.1.5.5.7.3.8',
      OCSPSigning: '1.3.6.1.5.5.7.3.9',
    });
  });

  it('keeps encipherment off EC and Ed25519 keys and key agreement off RSA', () => {
    expect(KEY_USAGES_BY_KEY_TYPE.ec).not.toContain('keyEncipherment');
    expect(KEY_USAGES_BY_KEY_TYPE.ec).not.toContain('dataEncipherment');
    expect(KEY_USAGES_BY_KEY_TYPE.rsa).not.toContain('keyAgreement');
    expect(KEY_USAGES_BY_KEY_TYPE.ed25519).toEqual([
      'digitalSignature',
      'nonRepudiation',
      'keyCertSign',
      'cRLSign',
    ]);
  });

  it('names subject attributes by their OIDs', () => {
    expect(SUBJECT_ATTRIBUTE_OIDS.CN).toBe('2.5.4.3');
    expect(SUBJECT_ATTRIBUTE_OIDS.serialNumber).toBe('2.5.4.5');
    expect(SUBJECT_ATTRIBUTE_OIDS.E).toBe('1.2.840.113549.1.9.1');
    expect(new Set(Object.values(SUBJECT_ATTRIBUTE_OIDS)).size).toBe(
      Object.keys(SUBJECT_ATTRIBUTE_OIDS).length,
    );
  });
});
