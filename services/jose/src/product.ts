// The JOSE Authority as a product of the suite: its config, migrations and the factory that
// wires the store, the barrier-backed key vault, the key ring, the audit log, the published
// JWKS, scheduled rotation and the routes (ARCHITECTURE §5, issue 4). `cryptoutil jose …` and
// `cryptoutil dev` run it through the kit's startService.
import { uuidv7 } from '@cryptoutil/db';
import { defineProduct } from '@cryptoutil/server';
import { createCryptoOperationCounter } from '@cryptoutil/telemetry';
import { joseConfigSchema, type JoseConfig } from './config.js';
import { loadTrustAnchors } from './crypto/x5c.js';
import { joseRoutes } from './routes/jose-routes.js';
import { wellKnownRoutes } from './routes/well-known.js';
import { createAuditLog } from './service/audit-log.js';
import { createKeyRing } from './service/key-ring.js';
import { createKeySets } from './service/key-sets.js';
import { createKeyVault } from './service/key-vault.js';
import { createOperations } from './service/operations.js';
import { createPublishedJwks } from './service/published-jwks.js';
import { joseMigrations } from './store/jose-migrations.js';
import { createJoseStore } from './store/jose-store.js';

/** Issue 4: one scope per kind of access. */
export const JOSE_SCOPES = [
  'jose:read',
  'jose:write',
  'jose:sign',
  'jose:verify',
  'jose:encrypt',
  'jose:decrypt',
  'jose:admin',
] as const;

export const joseProduct = defineProduct<JoseConfig>({
  name: 'jose',
  title: 'JOSE Authority',
  configSchema: joseConfigSchema,
  migrations: joseMigrations,
  scopes: JOSE_SCOPES,
  // Loaded on demand: @fastify/swagger is only needed to render specs/, never to serve.
  openapi: async (version) => (await import('./openapi.js')).renderJoseOpenApi(version),
  createService({ config, database, barrier, logger, telemetry }) {
    const settings = config.jose;
    const store = createJoseStore(database);
    const { maxKeys, ttlMs } = settings.cache;
    const vault = createKeyVault(barrier, maxKeys);
    const ring = createKeyRing({ store, vault, ttlMs, maxEntries: maxKeys });
    const audit = createAuditLog({
      store,
      logger,
      flushMs: settings.audit.flushMs,
      retentionDays: settings.audit.retentionDays,
    });
    const sets = createKeySets({ store, vault, ring, audit });
    const published = createPublishedJwks({
      store,
      maxAgeSeconds: settings.jwks.maxAgeSeconds,
      ttlMs,
    });
    const operations = createOperations({
      ring,
      audit,
      trustAnchors: loadTrustAnchors(settings.trustAnchors),
      maxDecompressedBytes: settings.maxDecompressedBytes,
      jwt: settings.jwt,
      newId: uuidv7,
      // Without a collector the counter would count into a no-op meter: skip its cost.
      ...(telemetry.enabled ? { metrics: createCryptoOperationCounter(telemetry.meter) } : {}),
    });
    let rotating: Promise<unknown> = Promise.resolve();
    const scheduler = setInterval(() => {
      rotating = sets
        .rotateDue()
        .then((count) => {
          if (count > 0) {
            published.invalidate();
            logger.info({ count }, 'scheduled rotation');
          }
        })
        .catch((err: unknown) => {
          logger.warn({ err }, 'scheduled rotation failed');
        });
    }, settings.rotation.checkIntervalSeconds * 1000);
    scheduler.unref();
    return Promise.resolve({
      routes: joseRoutes({
        sets,
        operations,
        published,
        audit,
        maxPayloadBytes: settings.maxPayloadBytes,
      }),
      wellKnown: wellKnownRoutes(published),
      async close() {
        clearInterval(scheduler);
        await rotating;
        await audit.close();
      },
    });
  },
});
