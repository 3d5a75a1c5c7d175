// The process lifecycle of a product (ARCHITECTURE §2): listen on its listeners, and shut down
// in the one order: readyz turns 503, the public listener (and a product's plain-HTTP one) stops
// accepting and drains (bounded),
// the `onShutdown` hooks run in order (database, telemetry...), the admin listener closes last.
// SIGTERM/SIGINT and the admin endpoint start it; a second signal forces exit(1).
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { isLoopbackAddress } from './config.js';
import { drainApp } from './drain.js';
import { lifecycleOf, type AdminLifecycle } from './lifecycle.js';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface BoundAddresses {
  readonly public: ListenAddress;
  readonly admin: ListenAddress;
  /** The plain-HTTP listener's, when the product has one. */
  readonly plain?: ListenAddress;
}

export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface ServerRuntimeOptions {
  readonly publicApp: FastifyInstance;
  /** Built by `buildAdminApp`, whose readyz and shutdown endpoint the runtime drives. */
  readonly adminApp: FastifyInstance;
  readonly publicListen: ListenAddress;
  readonly adminListen: ListenAddress;
  /** A product's read-only plain-HTTP listener (buildPlainApp), drained with the public one. */
  readonly plain?: { readonly app: FastifyInstance; readonly listen: ListenAddress };
  readonly drainTimeoutMs: number;
  /** Run in order after the public listener drained, e.g. database close, telemetry flush. */
  readonly onShutdown?: ReadonlyArray<() => Promise<void>>;
  readonly logger: FastifyBaseLogger;
  /** Ends the process after a signal or admin shutdown; `process.exit` by default. */
  readonly exit?: (code: number) => void;
}

export interface ServerRuntime {
  /** Listens on every listener; resolves with the bound addresses (port 0 becomes real). */
  start(): Promise<BoundAddresses>;
  /** Shuts down in order; repeated calls share the first call's promise. */
  shutdown(reason: string): Promise<void>;
  /** SIGTERM and SIGINT start shutdown, then exit; returns a function that removes them. */
  installSignalHandlers(source?: SignalSource): () => void;
}

function boundAddress(app: FastifyInstance): ListenAddress {
  const address = app.server.address() as AddressInfo;
  return { host: address.address, port: address.port };
}

async function listenAll(options: ServerRuntimeOptions): Promise<BoundAddresses> {
  const { publicApp, adminApp, plain } = options;
  await publicApp.listen(options.publicListen);
  try {
    if (plain) await plain.app.listen(plain.listen);
  } catch (error) {
    await publicApp.close();
    throw error;
  }
  try {
    await adminApp.listen(options.adminListen);
  } catch (error) {
    await Promise.all([publicApp.close(), plain?.app.close()]);
    throw error;
  }
  const bound = {
    public: boundAddress(publicApp),
    admin: boundAddress(adminApp),
    ...(plain ? { plain: boundAddress(plain.app) } : {}),
  };
  options.logger.info(bound, 'listening');
  return bound;
}

// Resolves true when every step succeeded; a failed hook is logged and the next step still runs.
async function runShutdown(
  options: ServerRuntimeOptions,
  lifecycle: AdminLifecycle,
  reason: string,
): Promise<boolean> {
  const { logger, drainTimeoutMs: timeoutMs } = options;
  logger.info({ reason }, 'shutdown started');
  lifecycle.draining = true;
  const draining = [drainSafely(options.publicApp, 'public', timeoutMs, logger)];
  if (options.plain) draining.push(drainSafely(options.plain.app, 'plain', timeoutMs, logger));
  let clean = (await Promise.all(draining)).every(Boolean);
  for (const [index, hook] of (options.onShutdown ?? []).entries()) {
    try {
      await hook();
    } catch (error) {
      clean = false;
      logger.error({ err: error, hook: index }, 'shutdown hook failed');
    }
  }
  clean = (await drainSafely(options.adminApp, 'admin', timeoutMs, logger)) && clean;
  logger.info({ reason, clean }, 'shutdown complete');
  return clean;
}

// A listener that fails to close (an onClose hook throws) must not skip the steps after it:
// the database still closes, telemetry still flushes, the admin listener still closes.
async function drainSafely(
  app: FastifyInstance,
  name: string,
  timeoutMs: number,
  logger: FastifyBaseLogger,
): Promise<boolean> {
  try {
    await drainApp({ app, name, timeoutMs, logger });
    return true;
  } catch (error) {
    logger.error({ err: error, listener: name }, 'listener failed to close cleanly');
    return false;
  }
}

export function createServerRuntime(options: ServerRuntimeOptions): ServerRuntime {
  const { logger } = options;
  // ARCHITECTURE §2: the admin listener is never reachable from outside the host.
  if (!isLoopbackAddress(options.adminListen.host)) {
    throw new TypeError(
      `admin listener must bind a loopback address, got ${options.adminListen.host}`,
    );
  }
  const lifecycle = lifecycleOf(options.adminApp);
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let started: Promise<BoundAddresses> | undefined;
  let stopping: Promise<boolean> | undefined;
  const shutdownOnce = (reason: string) => (stopping ??= runShutdown(options, lifecycle, reason));

  // Signal and admin shutdowns end the process once done.
  const shutdownAndExit = (reason: string): void => {
    shutdownOnce(reason).then(
      (clean) => exit(clean ? 0 : 1),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  lifecycle.requestShutdown = shutdownAndExit;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping === undefined) return shutdownAndExit(signal);
    logger.warn({ signal }, 'second signal during shutdown, forcing exit');
    exit(1);
  };
  return {
    start: () => (started ??= listenAll(options)),
    shutdown: async (reason) => {
      await shutdownOnce(reason);
    },
    installSignalHandlers(source: SignalSource = process) {
      source.on('SIGTERM', onSignal);
      source.on('SIGINT', onSignal);
      return () => {
        source.off('SIGTERM', onSignal);
        source.off('SIGINT', onSignal);
      };
    },
  };
}
