// The JOSE Authority configuration: the kit's shared sections (listeners on 8060/9060, TLS,
// database, barrier, telemetry, auth, shutdown) plus `jose`: payload and decompression limits,
// JWT lifetimes, the published JWKS's cache lifetime, scheduled rotation, x5c trust anchors, the
// audit writer and the key cache.
import { createServiceConfigSchema, keyCacheConfigSchema } from '@cryptoutil/server';
import { z } from 'zod';

const seconds = (min: number, max: number, fallback: number, description: string) =>
  z.number().int().min(min).max(max).default(fallback).describe(description);

export const joseSectionSchema = z
  .object({
    maxPayloadBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(256 * 1024)
      .describe('Largest payload or plaintext sign and encrypt accept, in bytes (larger: 413).'),
    maxDecompressedBytes: z
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024)
      .describe(
        'Largest plaintext a `zip: DEF` JWE may inflate to on decrypt; more fails as decryption-failed (decompression bombs).',
      ),
    jwt: z
      .object({
        defaultLifetimeSeconds: seconds(1, 31_536_000, 3600, 'JWT lifetime when issue names none.'),
        maxLifetimeSeconds: seconds(1, 31_536_000, 86_400, 'Longest JWT lifetime issue accepts.'),
        maxClockToleranceSeconds: seconds(
          0,
          3600,
          300,
          'Largest clock tolerance a jwt/verify request may ask for.',
        ),
      })
      .prefault({})
      .describe('JWT issue and verify limits.'),
    jwks: z
      .object({
        maxAgeSeconds: seconds(
          0,
          86_400,
          300,
          'Upper bound of the published JWKS `Cache-Control: max-age`; the time to the next scheduled rotation lowers it.',
        ),
      })
      .prefault({})
      .describe('The published JWKS documents.'),
    rotation: z
      .object({
        checkIntervalSeconds: seconds(
          1,
          3600,
          60,
          'How often each instance looks for sets whose rotation period has passed.',
        ),
      })
      .prefault({})
      .describe('Scheduled rotation.'),
    trustAnchors: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'PEM files of the CA certificates an `x5c` chain on a JWS must lead to for verify to accept it; empty: `x5c` signatures never verify.',
      ),
    audit: z
      .object({
        flushMs: z
          .number()
          .int()
          .min(10)
          .max(10_000)
          .default(200)
          .describe('Operation audit records are written in batches this often (and at shutdown).'),
        retentionDays: z
          .number()
          .int()
          .min(1)
          .max(36_500)
          .default(90)
          .describe('Audit records older than this are deleted.'),
      })
      .prefault({})
      .describe('The audit log.'),
    cache: keyCacheConfigSchema({
      keys: 'key versions',
      metadata: 'current version, retirements',
      changes: 'a rotation or retirement',
    }),
  })
  .prefault({})
  .describe('JOSE Authority settings.');

export const joseConfigSchema = createServiceConfigSchema({
  publicPort: 8060,
  adminPort: 9060,
  extend: { jose: joseSectionSchema },
});

export type JoseConfig = z.output<typeof joseConfigSchema>;
