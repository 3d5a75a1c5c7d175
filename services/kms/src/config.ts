// The KMS configuration: the kit's shared sections (listeners on 8080/9090, TLS, database,
// barrier, telemetry, auth, shutdown) plus `kms`: payload limits and the key cache.
import { createServiceConfigSchema } from '@cryptoutil/server';
import { z } from 'zod';

export const kmsSectionSchema = z
  .object({
    maxPayloadBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(256 * 1024)
      .describe(
        'Largest plaintext or payload encrypt and sign accept, in bytes (larger: 413). Encrypt bigger data under a data key from `generate` instead.',
      ),
    cache: z
      .object({
        maxKeys: z
          .number()
          .int()
          .min(1)
          .default(10_000)
          .describe('Unsealed material keys kept in memory (least recently used go first).'),
        ttlMs: z
          .number()
          .int()
          .min(0)
          .max(60_000)
          .default(1_000)
          .describe(
            'How long key metadata (status, primary version) is trusted before the database is read again; bounds how late another instance sees a rotation, disable or revoke.',
          ),
      })
      .prefault({})
      .describe('The in-memory key cache.'),
  })
  .prefault({})
  .describe('Key management service settings.');

export const kmsConfigSchema = createServiceConfigSchema({
  publicPort: 8080,
  adminPort: 9090,
  extend: { kms: kmsSectionSchema },
});

export type KmsConfig = z.output<typeof kmsConfigSchema>;
