// The admin listener's app (ARCHITECTURE §2): HTTPS on loopback only, liveness, readiness with
// pluggable checks, the shutdown endpoint, and products' own admin routes under `/admin/v1`
// (the barrier adds `/admin/v1/barrier/*`). Built without listening.
import type { RoutePlugin } from './chains/routes.js';
import { sendProblem } from './error-handler.js';
import { createKitApp, type KitApp, type KitAppOptions } from './kit-app.js';
import { attachLifecycle } from './lifecycle.js';
import { ProblemError, problems } from './problems/index.js';
import { runReadinessChecks, type ReadinessCheck } from './readiness.js';

export { ReadinessCheckError, type ReadinessCheck } from './readiness.js';

export const ADMIN_PREFIX = '/admin/v1';
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

export type AdminRoutes = RoutePlugin;

export interface AdminAppOptions extends Omit<KitAppOptions, 'name' | 'bodyLimit'> {
  readonly checks?: readonly ReadinessCheck[] | undefined;
  /** Per-check timeout of readyz; a check that takes longer fails as `timeout`. */
  readonly checkTimeoutMs?: number | undefined;
  /** Product admin routes, registered under `/admin/v1`. */
  readonly routes?: AdminRoutes | undefined;
}

function notReady(checks: Readonly<Record<string, string>>, detail: string): ProblemError {
  // Exposed: the body holds check names and fixed phrases only (see readiness.ts).
  return new ProblemError(problems.notReady, { detail, extensions: { checks }, expose: true });
}

// The admin listener is on loopback, but a browser on the same host can still reach it (a page
// firing a body-less cross-site POST at /admin/v1/shutdown). Operators' tools (the CLI, curl,
// probes) send no Origin and no Sec-Fetch-Site, browsers always do: refuse those requests.
function refuseBrowsers(app: KitApp): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const site = request.headers['sec-fetch-site'];
    if (request.headers.origin !== undefined || (site !== undefined && site !== 'none')) {
      done(new ProblemError(problems.adminBrowser));
      return;
    }
    done();
  });
}

export function buildAdminApp(options: AdminAppOptions): KitApp {
  const app = createKitApp({
    name: 'admin',
    https: options.https,
    logger: options.logger,
    plugins: options.plugins,
  });
  const lifecycle = attachLifecycle(app);
  const checks = options.checks ?? [];
  const timeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;

  refuseBrowsers(app);
  app.get(`${ADMIN_PREFIX}/livez`, () => ({ status: 'ok' }));

  app.get(`${ADMIN_PREFIX}/readyz`, async (request, reply) => {
    if (lifecycle.draining) {
      return sendProblem(reply, notReady({ shutdown: 'draining' }, 'the service is shutting down'));
    }
    const report = await runReadinessChecks(checks, timeoutMs, request.log);
    if (!report.ready)
      return sendProblem(reply, notReady(report.checks, 'a readiness check failed'));
    return { status: 'ok', checks: report.checks };
  });

  app.post(`${ADMIN_PREFIX}/shutdown`, async (request, reply) => {
    // The 202 leaves first; shutdown starts once it is on the wire.
    reply.raw.once('finish', () => lifecycle.requestShutdown?.('admin request'));
    request.log.warn('shutdown requested through the admin API');
    return reply.code(202).send({ status: 'shutting-down' });
  });

  if (options.routes) void app.register(options.routes, { prefix: ADMIN_PREFIX });
  return app;
}
