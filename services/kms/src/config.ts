// The KMS configuration: the kit's shared sections (listeners on 8080/9090, TLS, database,
// barrier, telemetry, auth, shutdown) plus `kms`: payload limits and the key cache.
import { createServiceConfigSchema, keyCacheConfigSchema } from '@cryptoutil/server';
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
    cache: keyCacheConfigSchema({
      keys: 'material keys',
      metadata: 'status, primary version',
      changes: 'a rotation, disable or revoke',
    }),
  })
  .prefault({})
  .describe('Key management service settings.');

export const kmsConfigSchema = createServiceConfigSchema({
  publicPort: 8080,
  adminPort: 9090,
  extend: { kms: kmsSectionSchema },
});

export type KmsConfig = z.output<typeof kmsConfigSchema>;
