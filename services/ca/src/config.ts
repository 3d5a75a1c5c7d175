// The CA configuration: the kit's shared sections (listeners on 8050/9050, TLS, database,
// barrier, telemetry, auth, shutdown) plus `ca`: the hierarchy (root, intermediates, issuing CAs,
// generated at first start or imported), profile directories, the plain-HTTP revocation
// listener and the base URL certificates name in AIA and CRLDP, CRL partitioning and lifetimes,
// OCSP response lifetimes and the issuance limits.
import { createServiceConfigSchema } from '@cryptoutil/server';
import { z } from 'zod';

const int = (min: number, max: number, fallback: number, description: string) =>
  z.number().int().min(min).max(max).default(fallback).describe(description);

export const caKeySpecSchema = z
  .discriminatedUnion('kty', [
    z.strictObject({ kty: z.literal('EC'), curve: z.enum(['P-256', 'P-384', 'P-521']) }),
    z.strictObject({
      kty: z.literal('RSA'),
      bits: z.union([z.literal(2048), z.literal(3072), z.literal(4096)]),
    }),
  ])
  .describe('The CA key generated at first start: EC on a P-curve, or RSA.');

export const caDefinitionSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes')
      .describe('The CA id in URLs (`cas/{id}`, CRL and OCSP paths); never change it later.'),
    parent: z
      .string()
      .optional()
      .describe('The id of the CA that signs this one; absent for a root.'),
    subject: z
      .string()
      .min(3)
      .describe('The distinguished name, RFC 4514 (e.g. `CN=Example Issuing CA, O=Example`).'),
    key: caKeySpecSchema.default({ kty: 'EC', curve: 'P-384' }),
    validityDays: int(1, 36_500, 3650, 'Validity of the generated CA certificate, in days.'),
    pathLength: z
      .number()
      .int()
      .min(0)
      .max(10)
      .optional()
      .describe('basicConstraints pathLenConstraint; issuing CAs get 0 when absent.'),
    issuing: z
      .boolean()
      .default(false)
      .describe('Whether this CA issues end-entity certificates through `enroll`.'),
    import: z
      .strictObject({
        certificateFile: z.string().min(1).describe('PEM certificate of this CA.'),
        keyFile: z
          .string()
          .min(1)
          .optional()
          .describe(
            'PEM PKCS#8 private key; absent for an offline root whose key stays in the ceremony.',
          ),
      })
      .optional()
      .describe('Import this CA instead of generating it (e.g. a root from `cryptoutil ca init`).'),
  })
  .describe('One CA of the hierarchy.');

export type CaDefinition = z.output<typeof caDefinitionSchema>;

const DEFAULT_HIERARCHY: z.input<typeof caDefinitionSchema>[] = [
  { id: 'root', subject: 'CN=cryptoutil Root CA', key: { kty: 'EC', curve: 'P-384' } },
  {
    id: 'issuing',
    parent: 'root',
    subject: 'CN=cryptoutil Issuing CA',
    key: { kty: 'EC', curve: 'P-384' },
    validityDays: 1825,
    issuing: true,
  },
];

export const caSectionSchema = z
  .object({
    hierarchy: z
      .array(caDefinitionSchema)
      .min(1)
      .prefault(DEFAULT_HIERARCHY)
      .describe(
        'The CAs, parents before children: a root, intermediates and issuing CAs. Default: a P-384 root and one P-384 issuing CA.',
      ),
    defaultIssuer: z
      .string()
      .optional()
      .describe('The issuing CA `enroll` uses when the request names none; default: the first.'),
    profileDirs: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Directories of profile YAML files, read after the shipped profiles: a file with the id of a shipped profile replaces it.',
      ),
    revocation: z
      .object({
        enabled: z.boolean().default(true).describe('Serve the plain-HTTP revocation listener.'),
        address: z
          .string()
          .default('127.0.0.1')
          .describe('Address of the plain-HTTP listener (CRLs, OCSP, CA certificates).'),
        port: int(0, 65535, 8051, 'Port of the plain-HTTP listener (0 picks a free port).'),
        baseUrl: z
          .url({ protocol: /^https?$/ })
          .optional()
          .describe(
            'Base URL certificates name in AIA (OCSP, caIssuers) and CRLDP; default `http://<address>:<port>`.',
          ),
      })
      .prefault({})
      .describe('Revocation data in plain HTTP (RFC 5280 §4.2.1.13, RFC 6960 Appendix A).'),
    crl: z
      .object({
        partitions: int(
          1,
          1024,
          16,
          'Distribution points per issuing CA: each certificate names the partition CRL of its serial.',
        ),
        validityHours: int(1, 24 * 10, 24, 'nextUpdate − thisUpdate of every CRL.'),
        refreshBeforeHours: int(
          0,
          24 * 9,
          6,
          'CRLs are regenerated this long before their nextUpdate, and at once on revocation.',
        ),
      })
      .prefault({})
      .describe('Certificate revocation lists.'),
    ocsp: z
      .object({
        validityHours: int(1, 24 * 7, 24, 'nextUpdate − thisUpdate of OCSP responses.'),
        responderValidityDays: int(
          2,
          90,
          30,
          'Validity of the delegated OCSP responder certificates, renewed at half-life.',
        ),
        cacheEntries: int(
          1,
          1_000_000,
          10_000,
          'Pre-signed OCSP answers kept in memory (about 1 KB each; least recently used go first).',
        ),
      })
      .prefault({})
      .describe('The OCSP responder (RFC 6960).'),
    issuance: z
      .object({
        maxTlsServerValidityDays: int(
          1,
          200,
          200,
          'Upper bound for tls-server certificates (the CA/Browser Forum limit from 2026-03-15 is 200 days).',
        ),
        maxValidityDays: int(
          1,
          36_500,
          36_500,
          'Upper bound for every leaf certificate, whatever its profile allows.',
        ),
      })
      .prefault({})
      .describe('Issuance limits over the profiles.'),
    audit: z
      .object({
        retentionDays: int(1, 36_500, 3650, 'Audit records older than this are deleted.'),
      })
      .prefault({})
      .describe('The issuance and revocation audit log.'),
  })
  .superRefine((ca, ctx) => {
    const seen = new Map<string, CaDefinition>();
    ca.hierarchy.forEach((definition, index) => {
      const at = (key: string) => ['hierarchy', index, key];
      if (seen.has(definition.id)) {
        ctx.addIssue({
          code: 'custom',
          path: at('id'),
          message: `duplicate CA id ${definition.id}`,
        });
      }
      if (definition.parent !== undefined) {
        const parent = seen.get(definition.parent);
        if (parent === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: at('parent'),
            message: `${definition.parent} must be defined before ${definition.id}`,
          });
        } else if (parent.issuing && parent.pathLength === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: at('parent'),
            message: `${definition.parent} is an issuing CA (pathLength 0): give it a pathLength to sign CAs`,
          });
        }
      } else if (definition.import === undefined && definition.issuing) {
        ctx.addIssue({
          code: 'custom',
          path: at('issuing'),
          message: 'a root does not issue end-entity certificates; add an issuing CA under it',
        });
      }
      seen.set(definition.id, definition);
    });
    const issuing = ca.hierarchy.filter((d) => d.issuing);
    if (issuing.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['hierarchy'], message: 'no CA has issuing: true' });
    }
    if (ca.defaultIssuer !== undefined && !issuing.some((d) => d.id === ca.defaultIssuer)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultIssuer'],
        message: `${ca.defaultIssuer} is not an issuing CA of the hierarchy`,
      });
    }
  })
  .prefault({})
  .describe('Certificate authority settings.');

export const caConfigSchema = createServiceConfigSchema({
  publicPort: 8050,
  adminPort: 9050,
  extend: { ca: caSectionSchema },
});

export type CaConfig = z.output<typeof caConfigSchema>;
