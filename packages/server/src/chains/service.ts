// The `/service/api/v1` chain for headless clients (ARCHITECTURE §2): credentials through the
// pluggable Authenticator (Bearer JWT, API key, mTLS), per-client rate limit, scope checks,
// `Cache-Control: no-store`; no cookies and no CORS, so browsers cannot call it cross-origin.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { RateLimitConfig } from '../config.js';
import type { Authenticator } from '../principal.js';
import { enforceAccess } from './access.js';
import { noStore } from './no-store.js';
import { rateLimit, rateLimitOptions } from './rate-limit.js';
import type { ApiRoutes } from './routes.js';

export interface ServiceChainOptions {
  readonly authenticator: Authenticator;
  readonly rateLimit: RateLimitConfig;
  readonly routes: ApiRoutes;
}

export const serviceChain: FastifyPluginAsync<ServiceChainOptions> = async (app, options) => {
  // A failed authentication is kept until after the rate limiter, so guessing credentials
  // spends the client's budget like any other request.
  // Callback hooks, not async ones: each async hook costs a request a promise and a turn.
  const failures = new WeakMap<FastifyRequest, unknown>();
  app.addHook('onRequest', (request, _reply, done) => {
    options.authenticator.authenticate(request).then(
      (principal) => {
        request.principal = principal;
        done();
      },
      (error: unknown) => {
        failures.set(request, error);
        done();
      },
    );
  });
  await app.register(rateLimit, rateLimitOptions(options.rateLimit));
  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (failures.has(request)) {
      done(failures.get(request) as Error);
      return;
    }
    try {
      enforceAccess(request);
    } catch (error) {
      done(error as Error);
      return;
    }
    done(null, payload);
  });
  noStore(app);
  await app.register(options.routes);
};
