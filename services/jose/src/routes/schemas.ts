// Wire shapes of the JOSE API (zod, so validation, types and specs/jose.openapi.yaml come from
// one source). Timestamps are RFC 3339 strings; bytes are base64url (RFC 4648 §5); text and
// bytes travel as `<name>` (UTF-8) or `<name>Base64url`, exactly one of the two.
import { KEY_MANAGEMENT_ALGORITHMS, SIGNING_ALGORITHMS } from '@cryptoutil/jwa';
import { z } from 'zod';
import { AUDIT_OPERATIONS, type AuditRecord } from '../domain/audit.js';
import {
  contentEncryptionSchema,
  KID_FORMATS,
  keySetDescriptionSchema,
  keySetNameSchema,
  nextRotationAt,
  versionStatus,
  type KeySet,
  type KeyVersion,
} from '../domain/key-set.js';

/** Named schemas of the JOSE contract only (the global registry also holds other products'). */
export const joseSchemaRegistry = z.registry<{ id: string }>();

export const idParams = z.object({ id: z.uuid().describe('JWK set id') });
export const versionParams = idParams.extend({
  version: z.coerce.number().int().min(1).max(2_147_483_647).describe('Version number'),
});

export const base64url = z
  .string()
  .regex(/^[A-Za-z0-9_-]*$/, 'base64url without padding (RFC 4648 §5)');
const jsonObject = z.record(z.string(), z.unknown());
const header = jsonObject.describe('JOSE header members (typ, cty, private names)');
const jwk = jsonObject.describe('A private JWK (bring your own key)');
const isoTime = z.string().describe('RFC 3339');

export const signingAlgorithmSchema = z.enum(SIGNING_ALGORITHMS);
const keyAlgorithm = z.enum([...SIGNING_ALGORITHMS, ...KEY_MANAGEMENT_ALGORITHMS]);

export const keySetSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    use: z.enum(['sig', 'enc']),
    alg: keyAlgorithm,
    enc: contentEncryptionSchema.optional(),
    kty: z.enum(['RSA', 'EC', 'OKP', 'oct']),
    size: z.number().int().optional(),
    crv: z.string().optional(),
    kidFormat: z.enum(KID_FORMATS),
    maxVersions: z.number().int(),
    rotationPeriodSeconds: z.number().int().optional(),
    publish: z.boolean(),
    currentVersion: z.number().int(),
    currentKid: z.string(),
    createdAt: isoTime,
    updatedAt: isoTime,
    rotatedAt: isoTime,
    nextRotationAt: isoTime.optional(),
  })
  .register(joseSchemaRegistry, { id: 'JwkSet' });

export const versionSchema = z
  .object({
    setId: z.string(),
    version: z.number().int(),
    kid: z.string(),
    status: z.enum(['current', 'previous', 'retired']),
    publicJwk: jsonObject.optional(),
    createdAt: isoTime,
    retiredAt: isoTime.optional(),
  })
  .register(joseSchemaRegistry, { id: 'JwkSetVersion' });

export const createKeySetBody = z
  .strictObject({
    name: keySetNameSchema,
    description: keySetDescriptionSchema.optional(),
    use: z.enum(['sig', 'enc']),
    alg: keyAlgorithm,
    enc: contentEncryptionSchema
      .optional()
      .describe('Encryption sets: content encryption (default A256GCM)'),
    kty: z.enum(['RSA', 'EC', 'OKP', 'oct']).optional(),
    size: z.number().int().optional().describe('RSA or oct key size in bits'),
    crv: z.enum(['P-256', 'P-384', 'P-521', 'Ed25519']).optional(),
    kidFormat: z.enum(KID_FORMATS).default('uuid'),
    maxVersions: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(3)
      .describe('Current plus previous versions kept'),
    rotationPeriodSeconds: z.number().int().min(60).max(315_360_000).optional(),
    publish: z
      .boolean()
      .optional()
      .describe('List in /.well-known/jwks.json (default: asymmetric sets)'),
    jwk: jwk.optional(),
  })
  .register(joseSchemaRegistry, { id: 'CreateJwkSet' });

export const updateKeySetBody = z
  .strictObject({
    description: keySetDescriptionSchema.optional(),
    maxVersions: z.number().int().min(1).max(100).optional(),
    rotationPeriodSeconds: z.number().int().min(60).max(315_360_000).nullable().optional(),
    publish: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'at least one member');

export const rotateBody = z.strictObject({ jwk: jwk.optional() }).default({});

export const pageQuery = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
  pageToken: z.string().max(200).optional(),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextPageToken: z.string().optional() });

export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const jwksSchema = z
  .object({ keys: z.array(jsonObject) })
  .register(joseSchemaRegistry, { id: 'Jwks' });

/** `<name>` (UTF-8 text) or `<name>Base64url` (bytes): exactly one. */
function bytesMembers<N extends string>(name: N, description: string) {
  return {
    [name]: z.string().optional().describe(`${description}, as UTF-8 text`),
    [`${name}Base64url`]: base64url.optional().describe(`${description}, as base64url bytes`),
  } as Record<N | `${N}Base64url`, z.ZodOptional<z.ZodString>>;
}

export const signBody = z
  .strictObject({
    jwks: z.uuid().optional().describe('The signing set (one signature)'),
    signers: z
      .array(
        z.strictObject({
          jwks: z.uuid(),
          protectedHeader: header.optional(),
          header: header.optional(),
        }),
      )
      .min(1)
      .max(20)
      .optional()
      .describe('Several signatures (general serialization)'),
    ...bytesMembers('payload', 'The payload'),
    serialization: z.enum(['compact', 'flattened', 'general']).default('compact'),
    detached: z.boolean().default(false),
    b64: z.boolean().default(true).describe('false: RFC 7797 unencoded payload'),
    protectedHeader: header.optional(),
    header: header.optional().describe('Unprotected header (JSON serializations)'),
  })
  .register(joseSchemaRegistry, { id: 'SignRequest' });

const jwsInput = z
  .union([z.string().max(4_000_000), jsonObject])
  .describe('Compact string or JSON serialization');

export const verifyBody = z
  .strictObject({
    jws: jwsInput,
    ...bytesMembers('payload', 'The detached payload'),
    algorithms: z.array(signingAlgorithmSchema).min(1).optional().describe('Allowed algorithms'),
    jwks: z.uuid().optional().describe('Only keys of this set'),
  })
  .register(joseSchemaRegistry, { id: 'VerifyRequest' });

const signatureResult = z.object({
  valid: z.boolean(),
  check: z.string().optional(),
  detail: z.string().optional(),
  kid: z.string().optional(),
  alg: z.string().optional(),
  jwks: z.string().optional(),
  version: z.number().int().optional(),
});

export const verifyResult = z
  .object({
    valid: z.boolean(),
    check: z
      .string()
      .optional()
      .describe('The first failed check: kid, retired, alg, crit, x5c, signature'),
    detail: z.string().optional(),
    payload: z.string().optional(),
    payloadBase64url: z.string().optional(),
    protectedHeader: jsonObject.optional(),
    signatures: z.array(signatureResult),
  })
  .register(joseSchemaRegistry, { id: 'VerifyResult' });

export const encryptBody = z
  .strictObject({
    jwks: z.uuid().optional().describe('The encryption set (one recipient)'),
    recipients: z
      .array(z.strictObject({ jwks: z.uuid(), header: header.optional() }))
      .min(1)
      .max(20)
      .optional()
      .describe('Several recipients (json serialization)'),
    ...bytesMembers('plaintext', 'The plaintext'),
    serialization: z.enum(['compact', 'json']).default('compact'),
    enc: contentEncryptionSchema.optional(),
    zip: z.literal('DEF').optional().describe('DEFLATE the plaintext first (RFC 7516 §4.1.3)'),
    aad: base64url.optional().describe('JWE AAD (json serialization)'),
    protectedHeader: header.optional(),
  })
  .register(joseSchemaRegistry, { id: 'EncryptRequest' });

export const signResult = z
  .object({
    jws: z.union([z.string(), jsonObject]).describe('Compact string or JSON serialization'),
    kids: z.array(z.string()).describe('The kid of each signature, in order'),
  })
  .register(joseSchemaRegistry, { id: 'SignResult' });

export const encryptResult = z
  .object({
    jwe: z.union([z.string(), jsonObject]).describe('Compact string or JSON serialization'),
    kids: z.array(z.string()).describe('The kid of each recipient, in order'),
  })
  .register(joseSchemaRegistry, { id: 'EncryptResult' });

export const decryptBody = z
  .strictObject({ jwe: jwsInput.describe('Compact string or JSON serialization') })
  .register(joseSchemaRegistry, { id: 'DecryptRequest' });

export const decryptResult = z
  .object({
    plaintext: z.string().optional(),
    plaintextBase64url: z.string(),
    protectedHeader: jsonObject.optional(),
    kid: z.string(),
    aad: z.string().optional(),
  })
  .register(joseSchemaRegistry, { id: 'DecryptResult' });

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100)]);

export const issueBody = z
  .strictObject({
    jwks: z.uuid(),
    claims: jsonObject.default({}),
    iss: z.string().min(1).optional(),
    sub: z.string().min(1).optional(),
    aud: stringOrList.optional(),
    lifetimeSeconds: z.number().int().min(1).optional(),
    jti: z.string().min(1).max(256).optional(),
    nbf: z.number().int().min(0).optional(),
    typ: z.string().min(1).max(256).default('JWT'),
    encryptTo: z
      .strictObject({ jwks: z.uuid(), enc: contentEncryptionSchema.optional() })
      .optional(),
  })
  .register(joseSchemaRegistry, { id: 'JwtIssueRequest' });

export const issueResult = z
  .object({ jwt: z.string(), kid: z.string(), claims: jsonObject })
  .register(joseSchemaRegistry, { id: 'JwtIssueResult' });

export const jwtVerifyBody = z
  .strictObject({
    jwt: z.string().min(1).max(1_000_000),
    algorithms: z.array(signingAlgorithmSchema).min(1).optional(),
    issuer: stringOrList.optional(),
    audience: stringOrList.optional(),
    subject: z.string().min(1).optional(),
    typ: z.string().min(1).optional(),
    requiredClaims: z.array(z.string().min(1)).max(100).optional(),
    clockToleranceSeconds: z.number().int().min(0).optional(),
    maxTokenAgeSeconds: z.number().int().min(1).optional(),
  })
  .register(joseSchemaRegistry, { id: 'JwtVerifyRequest' });

export const jwtVerifyResult = z
  .object({
    valid: z.boolean(),
    check: z.string().optional(),
    detail: z.string().optional(),
    claims: jsonObject.optional(),
    protectedHeader: jsonObject.optional(),
    kid: z.string().optional(),
  })
  .register(joseSchemaRegistry, { id: 'JwtVerifyResult' });

export const auditQuery = z.strictObject({
  jwks: z.uuid().optional(),
  operation: z.enum(AUDIT_OPERATIONS).optional(),
  outcome: z.enum(['success', 'failure']).optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
  pageToken: z.string().max(200).optional(),
});

export const auditRecordSchema = z
  .object({
    id: z.string(),
    at: isoTime,
    subject: z.string(),
    method: z.string(),
    operation: z.enum(AUDIT_OPERATIONS),
    outcome: z.enum(['success', 'failure']),
    failure: z.string().optional(),
    jwks: z.string().optional(),
    version: z.number().int().optional(),
    kid: z.string().optional(),
    requestId: z.string().optional(),
  })
  .register(joseSchemaRegistry, { id: 'AuditRecord' });

const iso = (ms: number) => new Date(ms).toISOString();

export function toKeySetJson(set: KeySet): z.input<typeof keySetSchema> {
  const { shape } = set.spec;
  const next = nextRotationAt(set);
  return {
    id: set.id,
    name: set.name,
    description: set.description,
    use: set.spec.use,
    alg: set.spec.alg,
    ...(set.spec.enc === undefined ? {} : { enc: set.spec.enc }),
    kty: shape.kty,
    ...(shape.kty === 'RSA' || shape.kty === 'oct' ? { size: shape.size } : { crv: shape.crv }),
    kidFormat: set.kidFormat,
    maxVersions: set.maxVersions,
    ...(set.rotationPeriodSeconds === undefined
      ? {}
      : { rotationPeriodSeconds: set.rotationPeriodSeconds }),
    publish: set.publish,
    currentVersion: set.currentVersion,
    currentKid: set.currentKid,
    createdAt: iso(set.createdAt),
    updatedAt: iso(set.updatedAt),
    rotatedAt: iso(set.rotatedAt),
    ...(next === undefined ? {} : { nextRotationAt: iso(next) }),
  };
}

export function toVersionJson(set: KeySet, v: KeyVersion): z.input<typeof versionSchema> {
  return {
    setId: v.setId,
    version: v.version,
    kid: v.kid,
    status: versionStatus(set, v),
    ...(v.publicJwk === undefined ? {} : { publicJwk: { ...v.publicJwk } }),
    createdAt: iso(v.createdAt),
    ...(v.retiredAt === undefined ? {} : { retiredAt: iso(v.retiredAt) }),
  };
}

export function toAuditJson(r: AuditRecord): z.input<typeof auditRecordSchema> {
  return {
    id: r.id,
    at: iso(r.at),
    subject: r.subject,
    method: r.method,
    operation: r.operation,
    outcome: r.outcome,
    ...(r.failure === undefined ? {} : { failure: r.failure }),
    ...(r.setId === undefined ? {} : { jwks: r.setId }),
    ...(r.version === undefined ? {} : { version: r.version }),
    ...(r.kid === undefined ? {} : { kid: r.kid }),
    ...(r.requestId === undefined ? {} : { requestId: r.requestId }),
  };
}
