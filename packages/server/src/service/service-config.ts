// The configuration every product shares (ARCHITECTURE §1-3, §7): its two listeners, TLS,
// database, telemetry, authentication and shutdown. A product builds its schema with
// `createServiceConfigSchema({ publicPort, adminPort, extend })`, adding its own sections.
import { barrierConfigSchema } from '@cryptoutil/barrier';
import { databaseConfigSchema } from '@cryptoutil/db';
import { telemetryConfigSchema } from '@cryptoutil/telemetry';
import { tlsConfigSchema } from '@cryptoutil/tls';
import { z } from 'zod';
import { authConfigSchema } from '../auth/index.js';
import { adminListenerSchema, publicListenerSchema, shutdownSchema } from '../config.js';

export interface ServiceConfigSchemaOptions<E extends z.ZodRawShape> {
  /** Default port of the public listener (ARCHITECTURE §1 table). */
  readonly publicPort: number;
  /** Default port of the admin listener. */
  readonly adminPort: number;
  /** The product's own config sections. */
  readonly extend?: E;
}

function listenerPort(value: number, listener: string) {
  return z
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(value)
    .describe(
      `Port of the ${listener} HTTPS listener (0 picks a free port); each product has its own default.`,
    );
}

function baseShape(publicPort: number, adminPort: number) {
  return {
    public: publicListenerSchema
      .extend({ port: listenerPort(publicPort, 'public') })
      .prefault({})
      .describe('The public HTTPS listener: /service/api/v1, /browser/api/v1, /.well-known.'),
    admin: adminListenerSchema
      .extend({
        port: listenerPort(adminPort, 'admin'),
        clientAuth: z
          .enum(['none', 'required'])
          .default('none')
          .describe(
            'Client certificates (mTLS) on the admin listener, verified against tls.clientCaFile: `required` makes the TLS handshake itself the admin credential (there is no `optional`: the admin routes have no other authentication).',
          ),
      })
      .prefault({})
      .describe('The admin HTTPS listener: livez, readyz, shutdown; loopback only.'),
    tls: tlsConfigSchema
      .prefault({ mode: 'auto' })
      .describe('TLS of both listeners (TLS 1.3 only).'),
    database: databaseConfigSchema.prefault({}).describe('The database (SQLite or PostgreSQL).'),
    barrier: barrierConfigSchema.prefault({}),
    telemetry: telemetryConfigSchema.prefault({}).describe('Logs, traces and metrics.'),
    auth: authConfigSchema.prefault({}).describe('Authentication of /service/api/v1 callers.'),
    shutdown: shutdownSchema.prefault({}).describe('Graceful shutdown.'),
  };
}

type BaseShape = ReturnType<typeof baseShape>;

export function createServiceConfigSchema<E extends z.ZodRawShape = Record<never, never>>(
  options: ServiceConfigSchemaOptions<E>,
): z.ZodObject<BaseShape & E> {
  // mTLS is chosen per listener (tls.clientAuth for public, admin.clientAuth for admin); both
  // verify against the one tls.clientCaFile.
  return z
    .object({ ...baseShape(options.publicPort, options.adminPort), ...options.extend })
    .superRefine((config, ctx) => {
      if (config.admin.clientAuth !== 'none' && config.tls.clientCaFile === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tls', 'clientCaFile'],
          message: 'required when admin.clientAuth is not none',
        });
      }
    }) as z.ZodObject<BaseShape & E>;
}

/** The config every product has; products' configs extend it. */
export type ServiceConfig = z.output<z.ZodObject<BaseShape>>;

/** How a product's key cache is named in its config docs. */
export interface KeyCacheWords {
  /** What is cached: "material keys". */
  readonly keys: string;
  /** Which metadata is trusted for `ttlMs`: "status, primary version". */
  readonly metadata: string;
  /** What another instance sees late: "a rotation, disable or revoke". */
  readonly changes: string;
}

/**
 * The `cache` section of a product that keeps unsealed keys in memory: how many, and how long
 * their metadata is trusted before the database is read again (which bounds how late another
 * instance sharing the database sees a change).
 */
export function keyCacheConfigSchema(words: KeyCacheWords) {
  return z
    .object({
      maxKeys: z
        .number()
        .int()
        .min(1)
        .default(10_000)
        .describe(`Unsealed ${words.keys} kept in memory (least recently used go first).`),
      ttlMs: z
        .number()
        .int()
        .min(0)
        .max(60_000)
        .default(1_000)
        .describe(
          `How long key metadata (${words.metadata}) is trusted before the database is read again; bounds how late another instance sees ${words.changes}.`,
        ),
    })
    .prefault({})
    .describe('The in-memory key cache.');
}
