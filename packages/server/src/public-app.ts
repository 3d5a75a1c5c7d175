// The public listener's app (ARCHITECTURE §2): the product's routes under both
// `/service/api/v1` and `/browser/api/v1`, each behind its own chain, and `/.well-known` for
// public metadata. Built without listening; `createServerRuntime` listens.
import { browserChain } from './chains/browser.js';
import type { ApiRoutes, RoutePlugin } from './chains/routes.js';
import { serviceChain } from './chains/service.js';
import type { PublicListenerConfig } from './config.js';
import { createKitApp, type KitApp, type KitAppOptions } from './kit-app.js';
import type { Authenticator, SessionResolver } from './principal.js';

export const SERVICE_PREFIX = '/service/api/v1';
export const BROWSER_PREFIX = '/browser/api/v1';
export const WELL_KNOWN_PREFIX = '/.well-known';

export type WellKnownRoutes = RoutePlugin;

export interface PublicAppOptions extends Omit<KitAppOptions, 'name' | 'bodyLimit'> {
  /** The `public` config section (address and port are the runtime's). */
  readonly listener: Pick<PublicListenerConfig, 'bodyLimit' | 'rateLimit' | 'cors'>;
  readonly authenticator: Authenticator;
  /** Resolves browser sessions; without it every browser request is anonymous. */
  readonly sessions?: SessionResolver | undefined;
  /** The product's API, served under both API prefixes. */
  readonly routes: ApiRoutes;
  /** Public metadata (JWKS, discovery documents...) under `/.well-known`, no authentication. */
  readonly wellKnown?: WellKnownRoutes | undefined;
}

export function buildPublicApp(options: PublicAppOptions): KitApp {
  const { listener } = options;
  const app = createKitApp({
    name: 'public',
    https: options.https,
    logger: options.logger,
    plugins: options.plugins,
    bodyLimit: listener.bodyLimit,
  });
  void app.register(serviceChain, {
    prefix: SERVICE_PREFIX,
    authenticator: options.authenticator,
    rateLimit: listener.rateLimit,
    routes: options.routes,
  });
  void app.register(browserChain, {
    prefix: BROWSER_PREFIX,
    sessions: options.sessions,
    allowedOrigins: listener.cors.allowedOrigins,
    rateLimit: listener.rateLimit,
    routes: options.routes,
  });
  if (options.wellKnown) void app.register(options.wellKnown, { prefix: WELL_KNOWN_PREFIX });
  return app;
}
