// The KMS as a product of the suite: its config, migrations and the factory that wires the
// store, the barrier-backed material vault, the key cache and the routes (ARCHITECTURE §5).
// `cryptoutil kms …` and `cryptoutil dev` run it through the kit's startService.
import { createCryptoOperationCounter } from '@cryptoutil/telemetry';
import { defineProduct } from '@cryptoutil/server';
import { kmsConfigSchema, type KmsConfig } from './config.js';
import { kmsRoutes } from './routes/kms-routes.js';
import { createKeyManagement } from './service/key-management.js';
import { createKeyOperations } from './service/key-operations.js';
import { createKeyResolver } from './service/key-resolver.js';
import { createMaterialVault } from './service/material-vault.js';
import { kmsMigrations } from './store/kms-migrations.js';
import { createKmsStore } from './store/kms-store.js';

/** ARCHITECTURE §5 / issue 3: one scope per kind of access. */
export const KMS_SCOPES = [
  'kms:read',
  'kms:write',
  'kms:encrypt',
  'kms:decrypt',
  'kms:sign',
  'kms:verify',
  'kms:generate',
  'kms:admin',
] as const;

export const kmsProduct = defineProduct<KmsConfig>({
  name: 'kms',
  title: 'Key management service',
  configSchema: kmsConfigSchema,
  migrations: kmsMigrations,
  scopes: KMS_SCOPES,
  // Loaded on demand: @fastify/swagger is only needed to render specs/, never to serve.
  openapi: async (version) => (await import('./openapi.js')).renderKmsOpenApi(version),
  createService({ config, database, barrier, telemetry }) {
    const store = createKmsStore(database);
    const { maxKeys, ttlMs } = config.kms.cache;
    const vault = createMaterialVault(barrier, maxKeys);
    const resolver = createKeyResolver({ store, vault, ttlMs, maxEntries: maxKeys });
    const keys = createKeyManagement({ store, vault, resolver });
    // Without a collector the counter would count into a no-op meter: skip its cost.
    const operations = createKeyOperations({
      resolver,
      ...(telemetry.enabled ? { metrics: createCryptoOperationCounter(telemetry.meter) } : {}),
    });
    return Promise.resolve({
      routes: kmsRoutes({ keys, operations, maxPayloadBytes: config.kms.maxPayloadBytes }),
    });
  },
});
