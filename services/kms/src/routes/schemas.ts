// Wire shapes of the KMS API (zod, so validation, types and specs/kms.openapi.yaml come from
// one source). Timestamps are RFC 3339 strings; binary values are base64url (RFC 4648 §5).
import { z } from 'zod';
import { elasticKeyAlgorithmSchema } from '../domain/algorithms.js';
import {
  elasticKeyDescriptionSchema,
  elasticKeyNameSchema,
  elasticKeyStatusSchema,
  type ElasticKey,
} from '../domain/elastic-key.js';
import type { MaterialKey } from '../domain/material-key.js';

export const idParams = z.object({ id: z.uuid().describe('Elastic key id') });
export const kidParams = idParams.extend({ kid: z.uuid().describe('Material key id (the kid)') });

export const base64url = z
  .string()
  .regex(/^[A-Za-z0-9_-]*$/, 'base64url without padding (RFC 4648 §5)');

export const elasticKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    algorithm: elasticKeyAlgorithmSchema,
    provider: z.literal('Internal'),
    versioningAllowed: z.boolean(),
    importAllowed: z.boolean(),
    status: elasticKeyStatusSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ElasticKey' });

export const createElasticKeyBody = z.strictObject({
  name: elasticKeyNameSchema,
  description: elasticKeyDescriptionSchema.optional(),
  algorithm: elasticKeyAlgorithmSchema,
  provider: z.literal('Internal').default('Internal'),
  versioningAllowed: z.boolean().default(true),
  importAllowed: z
    .boolean()
    .default(false)
    .describe('true: the key waits in pending_import for its first BYOK version'),
});

export const updateElasticKeyBody = z
  .strictObject({
    name: elasticKeyNameSchema.optional(),
    description: elasticKeyDescriptionSchema.optional(),
  })
  .refine((b) => b.name !== undefined || b.description !== undefined, 'name or description');

const csv = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .max(8192)
    .transform((s) => s.split(',').filter((v) => v.length > 0))
    .pipe(z.array(item).max(100));

export const listElasticKeysQuery = z.strictObject({
  ids: csv(z.uuid()).optional().describe('Comma-separated ids'),
  names: csv(elasticKeyNameSchema).optional().describe('Comma-separated names'),
  algorithms: csv(elasticKeyAlgorithmSchema).optional().describe('Comma-separated algorithms'),
  statuses: csv(elasticKeyStatusSchema).optional().describe('Comma-separated statuses'),
  sort: z.enum(['name', 'created_at']).default('created_at'),
  order: z.enum(['asc', 'desc']).default('asc'),
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
  pageToken: z.string().max(200).optional(),
});

export const pageQuery = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
  pageToken: z.string().max(200).optional(),
});

export const materialKeySchema = z
  .object({
    kid: z.string(),
    elasticKeyId: z.string(),
    origin: z.enum(['generated', 'imported']),
    status: z.enum(['active', 'revoked']),
    publicJwk: z.record(z.string(), z.unknown()).optional(),
    createdAt: z.string(),
    revokedAt: z.string().optional(),
  })
  .meta({ id: 'MaterialKey' });

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextPageToken: z.string().optional() });

const iso = (ms: number) => new Date(ms).toISOString();

export function toElasticKeyJson(key: ElasticKey): z.input<typeof elasticKeySchema> {
  return {
    id: key.id,
    name: key.name,
    description: key.description,
    algorithm: key.algorithm,
    provider: key.provider,
    versioningAllowed: key.versioningAllowed,
    importAllowed: key.importAllowed,
    status: key.status,
    createdAt: iso(key.createdAt),
    updatedAt: iso(key.updatedAt),
  };
}

export function toMaterialKeyJson(key: MaterialKey): z.input<typeof materialKeySchema> {
  return {
    kid: key.id,
    elasticKeyId: key.elasticKeyId,
    origin: key.origin,
    status: key.status,
    ...(key.publicJwk ? { publicJwk: { ...key.publicJwk } } : {}),
    createdAt: iso(key.createdAt),
    ...(key.revokedAt === undefined ? {} : { revokedAt: iso(key.revokedAt) }),
  };
}
