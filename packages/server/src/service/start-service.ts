// Runs one product: telemetry and logger, TLS material, database and migrations, the product's
// parts, both listeners and the ordered shutdown of ARCHITECTURE §2. The same path serves
// `cryptoutil <product> server`, `cryptoutil dev` and tests, so all three behave alike.
import { barrierMigrations } from '@cryptoutil/barrier';
import { createDatabase, runMigrations, type Database, type Migration } from '@cryptoutil/db';
import {
  createLogger,
  observeBarrierState,
  startTelemetry,
  telemetryPlugin,
} from '@cryptoutil/telemetry';
import { loadTlsMaterial, serverTlsOptions } from '@cryptoutil/tls';
import type { DestinationStream, Logger } from 'pino';
import { buildAdminApp } from '../admin-app.js';
import { createAuthenticator } from '../auth/index.js';
import { buildPublicApp } from '../public-app.js';
import { buildPlainApp } from '../plain-app.js';
import { createServerRuntime, type BoundAddresses, type SignalSource } from '../runtime.js';
import { barrierAdminRoutes } from './barrier-routes.js';
import { barrierReadiness, openBarrier } from './open-barrier.js';
import type { ProductDefinition, ServiceParts } from './product.js';
import type { ServiceConfig } from './service-config.js';

export interface StartServiceOptions {
  readonly version: string;
  /** Where log lines go; stdout when absent. */
  readonly logDestination?: DestinationStream;
  /** Ends the process after a signal or an admin shutdown; `process.exit` when absent. */
  readonly exit?: (code: number) => void;
}

export interface RunningService {
  readonly addresses: BoundAddresses;
  /** PEM trust anchors clients use for both listeners, and the file holding them if any. */
  readonly ca: readonly string[];
  readonly caFile: string | undefined;
  readonly logger: Logger;
  shutdown(reason: string): Promise<void>;
  /** Resolves once the service has shut down, whatever started the shutdown. */
  readonly closed: Promise<void>;
  installSignalHandlers(source?: SignalSource): () => void;
}

// The barrier's tables come first: every product stores its keys under it.
function migrationsOf(product: ProductDefinition<ServiceConfig>): Migration[] {
  return [...barrierMigrations, ...product.migrations];
}

function openDatabase(config: ServiceConfig, logger: Logger): Database<unknown> {
  return createDatabase<unknown>(config.database, { logger: logger.child({ component: 'db' }) });
}

/** `cryptoutil <product> migrate`: applies pending migrations and returns their versions. */
export async function migrateService<C extends ServiceConfig>(
  product: ProductDefinition<C>,
  config: C,
  options: { logDestination?: DestinationStream } = {},
): Promise<number[]> {
  const logger = createLogger({
    level: config.telemetry.logLevel,
    name: product.name,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const database = openDatabase(config, logger);
  try {
    return (await runMigrations(database, migrationsOf(product), { logger })).applied;
  } finally {
    await database.destroy();
  }
}

export async function startService<C extends ServiceConfig>(
  product: ProductDefinition<C>,
  config: C,
  options: StartServiceOptions,
): Promise<RunningService> {
  const telemetry = await startTelemetry({
    serviceName: `cryptoutil-${product.name}`,
    serviceVersion: options.version,
    config: config.telemetry,
  });
  const logger = createLogger({
    level: config.telemetry.logLevel,
    name: product.name,
    telemetry,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  // The final telemetry flush is best effort: a collector that is down must not turn a clean
  // shutdown into exit 1 (what could not be sent is dropped, and said so).
  const flushTelemetry = () =>
    telemetry.shutdown().catch((err: unknown) => {
      logger.warn({ err }, 'telemetry flush at shutdown incomplete; unsent data dropped');
    });
  const cleanups: (() => Promise<void>)[] = [flushTelemetry];
  try {
    const tls = await loadTlsMaterial(config.tls, {
      names: [config.public.address].filter((a) => a !== '0.0.0.0' && a !== '::'),
    });
    const database = openDatabase(config, logger);
    cleanups.unshift(() => database.destroy());
    if (config.database.migrate) await runMigrations(database, migrationsOf(product), { logger });
    const barrier = await openBarrier(config, database, logger);
    cleanups.unshift(() => Promise.resolve(barrier.seal()));
    observeBarrierState(telemetry.meter, () => barrier.state);
    const parts: ServiceParts = await product.createService({
      config,
      logger,
      database,
      telemetry,
      barrier,
    });
    if (parts.close) cleanups.unshift(parts.close);

    const https = serverTlsOptions(tls);
    const adminHttps = serverTlsOptions({ ...tls, clientAuth: config.admin.clientAuth });
    const publicApp = buildPublicApp({
      https,
      logger,
      listener: config.public,
      authenticator: createAuthenticator(config.auth, { logger }),
      routes: parts.routes ?? (async () => {}),
      wellKnown: parts.wellKnown,
      plugins: [[telemetryPlugin, { telemetry }]],
    });
    const adminApp = buildAdminApp({
      https: adminHttps,
      logger,
      checks: [
        { name: 'database', check: () => database.ping() },
        barrierReadiness(barrier),
        ...(parts.readinessChecks ?? []),
      ],
      routes: (app, _options, done) => {
        void app.register(barrierAdminRoutes(barrier));
        if (parts.adminRoutes) void app.register(parts.adminRoutes);
        done();
      },
    });
    const plainApp = parts.plainHttp
      ? buildPlainApp({
          logger,
          routes: parts.plainHttp.routes,
          bodyLimit: parts.plainHttp.bodyLimit,
          plugins: [[telemetryPlugin, { telemetry }]],
        })
      : undefined;
    const runtime = createServerRuntime({
      publicApp,
      adminApp,
      ...(plainApp && parts.plainHttp
        ? {
            plain: {
              app: plainApp,
              listen: { host: parts.plainHttp.address, port: parts.plainHttp.port },
            },
          }
        : {}),
      publicListen: { host: config.public.address, port: config.public.port },
      adminListen: { host: config.admin.address, port: config.admin.port },
      drainTimeoutMs: config.shutdown.drainTimeoutMs,
      onShutdown: cleanups,
      logger,
      ...(options.exit ? { exit: options.exit } : {}),
    });
    const addresses = await runtime.start();
    const closed = new Promise<void>((resolve) => adminApp.server.once('close', () => resolve()));
    logger.info(
      { public: addresses.public, admin: addresses.admin, caFile: tls.caFile },
      `${product.title} listening on https://${addresses.public.host}:${addresses.public.port}` +
        (tls.caFile ? `; clients trust ${tls.caFile}` : ''),
    );
    return {
      addresses,
      ca: tls.ca,
      caFile: tls.caFile,
      logger,
      closed,
      shutdown: (reason) => runtime.shutdown(reason),
      installSignalHandlers: (source) => runtime.installSignalHandlers(source),
    };
  } catch (err) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw err;
  }
}
