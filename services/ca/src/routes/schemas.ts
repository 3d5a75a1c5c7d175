// Wire shapes of the CA API (zod: validation, types and specs/ca.openapi.yaml from one source).
// Timestamps are RFC 3339 strings; certificates travel as PEM text, and in DER on request.
import { z } from 'zod';
import { AUDIT_OPERATIONS, type AuditRecord } from '../domain/audit.js';
import { CERTIFICATE_STATUSES, type CertificateRecord } from '../domain/certificate.js';
import { REVOCATION_REASONS } from '../domain/revocation.js';
import type { Profile } from '../domain/profile.js';
import { toPem } from '../crypto/pem.js';
import type { Authority } from '../service/hierarchy.js';

/** Named schemas of the CA contract only. */
export const caSchemaRegistry = z.registry<{ id: string }>();

const isoTime = z.string().describe('RFC 3339');
const iso = (ms: number) => new Date(ms).toISOString();

export const caIdParams = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .describe('CA id'),
});
export const certificateIdParams = z.object({ id: z.uuid().describe('Certificate id') });
export const profileIdParams = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .describe('Profile id'),
});

export const formatQuery = z.strictObject({
  format: z
    .enum(['json', 'pem', 'der'])
    .optional()
    .describe(
      'Answer format; default from Accept (application/pem-certificate-chain, application/pkix-cert), else JSON.',
    ),
});

export const caSchema = z
  .object({
    id: z.string(),
    parent: z.string().optional(),
    issuing: z.boolean(),
    online: z.boolean().describe('Whether its private key is here to sign'),
    subject: z.string(),
    issuer: z.string(),
    serial: z.string(),
    notBefore: isoTime,
    notAfter: isoTime,
    pathLength: z.number().int().optional(),
    certificatePem: z.string(),
    crlUrl: z.string().optional(),
  })
  .register(caSchemaRegistry, { id: 'CertificateAuthority' });

export function toCaJson(authority: Authority, crlUrl: string | undefined) {
  const { info } = authority;
  return {
    id: authority.id,
    ...(authority.parentId === undefined ? {} : { parent: authority.parentId }),
    issuing: authority.issuing,
    online: authority.hasKey,
    subject: info.subject,
    issuer: info.issuer,
    serial: info.serial,
    notBefore: info.notBefore.toISOString(),
    notAfter: info.notAfter.toISOString(),
    ...(info.pathLength === undefined ? {} : { pathLength: info.pathLength }),
    certificatePem: toPem(authority.certificate, 'CERTIFICATE'),
    ...(crlUrl === undefined ? {} : { crlUrl }),
  };
}

export const chainSchema = z
  .object({
    certificatesPem: z.array(z.string()).describe('This certificate first, the root last'),
  })
  .register(caSchemaRegistry, { id: 'CertificateChain' });

export const profileSchemaJson = z
  .record(z.string(), z.unknown())
  .describe('The profile as its YAML file defines it (ca profile schema)')
  .register(caSchemaRegistry, { id: 'Profile' });

export function toProfileJson(profile: Profile): Record<string, unknown> {
  return { ...profile };
}

export const enrollBody = z
  .strictObject({
    csr: z
      .string()
      .min(1)
      .max(65_536)
      .describe('PKCS#10 CSR (RFC 2986), PEM; or base64 of its DER'),
    profile: z.string().min(1).max(64),
    issuer: z
      .string()
      .min(1)
      .max(63)
      .optional()
      .describe('Issuing CA id; default: the configured one'),
    validityDays: z.number().int().min(1).max(36_500).optional(),
  })
  .register(caSchemaRegistry, { id: 'EnrollRequest' });

export const certificateSchema = z
  .object({
    id: z.string(),
    status: z.enum(CERTIFICATE_STATUSES),
    profile: z.string(),
    issuer: z.string(),
    subject: z.string(),
    sans: z.array(z.string()),
    serial: z.string().optional(),
    notBefore: isoTime.optional(),
    notAfter: isoTime.optional(),
    revokedAt: isoTime.optional(),
    revocationReason: z.enum(Object.keys(REVOCATION_REASONS) as [string, ...string[]]).optional(),
    requestedBy: z.string(),
    decidedBy: z.string().optional(),
    createdAt: isoTime,
    certificatePem: z.string().optional(),
    crlUrl: z.string().optional(),
  })
  .register(caSchemaRegistry, { id: 'Certificate' });

export function toCertificateJson(c: CertificateRecord, crlUrl?: string) {
  return {
    id: c.id,
    status: c.status,
    profile: c.profile,
    issuer: c.issuerId,
    subject: c.subject,
    sans: [...c.sans],
    ...(c.serial === undefined ? {} : { serial: c.serial }),
    ...(c.notBefore === undefined ? {} : { notBefore: iso(c.notBefore) }),
    ...(c.notAfter === undefined ? {} : { notAfter: iso(c.notAfter) }),
    ...(c.revokedAt === undefined ? {} : { revokedAt: iso(c.revokedAt) }),
    ...(c.revocationReason === undefined ? {} : { revocationReason: c.revocationReason }),
    requestedBy: c.requestedBy,
    ...(c.decidedBy === undefined ? {} : { decidedBy: c.decidedBy }),
    createdAt: iso(c.createdAt),
    ...(c.der === undefined ? {} : { certificatePem: toPem(c.der, 'CERTIFICATE') }),
    ...(crlUrl === undefined ? {} : { crlUrl }),
  };
}

export const certificateQuery = z.strictObject({
  profile: z.string().max(64).optional(),
  status: z.enum(CERTIFICATE_STATUSES).optional(),
  subject: z.string().min(1).max(256).optional().describe('Substring of the subject DN'),
  san: z.string().min(1).max(256).optional().describe('Substring of any SAN'),
  issuer: z.string().max(63).optional(),
  serial: z.string().max(64).optional().describe('Hex, colons allowed'),
  expiresBefore: z.iso.datetime({ offset: true }).optional(),
  expiresAfter: z.iso.datetime({ offset: true }).optional(),
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
  pageToken: z.string().max(200).optional(),
});

export const revokeBody = z
  .strictObject({
    reason: z
      .enum(
        Object.keys(REVOCATION_REASONS) as [
          keyof typeof REVOCATION_REASONS,
          ...(keyof typeof REVOCATION_REASONS)[],
        ],
      )
      .default('unspecified')
      .describe('RFC 5280 §5.3.1 reason; removeFromCRL releases a certificateHold'),
  })
  .register(caSchemaRegistry, { id: 'RevokeRequest' });

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextPageToken: z.string().optional() });

export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const auditRecordSchema = z
  .object({
    id: z.string(),
    at: isoTime,
    subject: z.string(),
    method: z.string(),
    operation: z.enum(AUDIT_OPERATIONS),
    outcome: z.string(),
    failure: z.string().optional(),
    certificateId: z.string().optional(),
    issuer: z.string().optional(),
    serial: z.string().optional(),
    profile: z.string().optional(),
    requestId: z.string().optional(),
  })
  .register(caSchemaRegistry, { id: 'CaAuditRecord' });

export function toAuditJson(r: AuditRecord) {
  return {
    id: r.id,
    at: iso(r.at),
    subject: r.subject,
    method: r.method,
    operation: r.operation,
    outcome: r.outcome,
    ...(r.failure === undefined ? {} : { failure: r.failure }),
    ...(r.certificateId === undefined ? {} : { certificateId: r.certificateId }),
    ...(r.issuerId === undefined ? {} : { issuer: r.issuerId }),
    ...(r.serial === undefined ? {} : { serial: r.serial }),
    ...(r.profile === undefined ? {} : { profile: r.profile }),
    ...(r.requestId === undefined ? {} : { requestId: r.requestId }),
  };
}

export const auditQuery = z.strictObject({
  operation: z.enum(AUDIT_OPERATIONS).optional(),
  certificateId: z.uuid().optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
  pageToken: z.string().max(200).optional(),
});
