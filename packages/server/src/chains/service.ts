// The `/service/api/v1` chain for headless clients (ARCHITECTURE §2): credentials through the
// pluggable Authenticator (Bearer JWT, API key, mTLS), per-client rate limit, scope checks,
// `Cache-Control: no-store`; no cookies and no CORS, so browsers cannot call it cross-origin.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { RateLimitConfig } from '../config.js';
import type { Authenticator, Principal } from '../principal.js';
import { enforceAccess } from './access.js';
import { RateLimiter, rateLimitKey } from './rate-limit.js';
import type { ApiRoutes } from './routes.js';

export interface ServiceChainOptions {
  readonly authenticator: Authenticator;
  readonly rateLimit: RateLimitConfig;
  readonly routes: ApiRoutes;
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | undefined)?.then === 'function';
}

export const serviceChain: FastifyPluginAsync<ServiceChainOptions> = async (app, options) => {
  const { authenticator } = options;
  const limiter = new RateLimiter(options.rateLimit);
  /**
   * Once the caller is known: the rate limit, then a failed authentication (kept until after
   * the limiter, so guessing credentials spends the client's budget like any other request),
   * then the route's scopes. Throws the problem that ends the request.
   */
  const admit = (request: FastifyRequest, principal: Principal | undefined, failure: unknown) => {
    request.principal = principal;
    limiter.count(rateLimitKey(request));
    if (failure !== undefined) throw failure as Error;
    enforceAccess(request);
  };
  // One callback hook, not async ones: each async hook costs a request a promise and a turn,
  // and a principal known at once (API key, no credentials) continues without either.
  app.addHook('onRequest', (request, reply, done) => {
    // What no-store.ts sets for the browser chain, here without a hook of its own.
    void reply.header('cache-control', 'no-store');
    const finish = (principal: Principal | undefined, failure?: unknown) => {
      try {
        admit(request, principal, failure);
      } catch (error) {
        done(error as Error);
        return;
      }
      done();
    };
    let outcome: ReturnType<Authenticator['authenticate']>;
    try {
      outcome = authenticator.authenticate(request);
    } catch (error) {
      finish(undefined, error);
      return;
    }
    if (isPromiseLike(outcome)) {
      outcome.then(finish, (error: unknown) => finish(undefined, error));
    } else {
      finish(outcome);
    }
  });
  await app.register(options.routes);
};
