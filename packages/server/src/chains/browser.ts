// The `/browser/api/v1` chain (ARCHITECTURE §2): helmet security headers, CORS allow-list and
// origin guard, session cookie through the pluggable SessionResolver, CSRF token on unsafe
// methods, per-client rate limit, scope checks and `Cache-Control: no-store`.
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import type { FastifyPluginAsync } from 'fastify';
import type { RateLimitConfig } from '../config.js';
import type { SessionResolver } from '../principal.js';
import { REQUEST_ID_HEADER } from '../request-id.js';
import { enforceAccess } from './access.js';
import { helmetOptions } from './browser-headers.js';
import { registerCors } from './cors.js';
import { CSRF_HEADER, csrfTokenRoute, registerCsrf } from './csrf.js';
import { noStore } from './no-store.js';
import { RateLimiter, rateLimitKey } from './rate-limit.js';
import type { ApiRoutes } from './routes.js';

export { CSRF_COOKIE, CSRF_HEADER } from './csrf.js';

export interface BrowserChainOptions {
  readonly sessions?: SessionResolver | undefined;
  readonly allowedOrigins: readonly string[];
  readonly rateLimit: RateLimitConfig;
  readonly routes: ApiRoutes;
}

export const browserChain: FastifyPluginAsync<BrowserChainOptions> = async (app, options) => {
  await app.register(helmet, helmetOptions);
  await app.register(cookie);
  await registerCors(app, options.allowedOrigins, ['content-type', CSRF_HEADER, REQUEST_ID_HEADER]);
  await registerCsrf(app);
  const sessions = options.sessions;
  const limiter = new RateLimiter(options.rateLimit);
  app.addHook('onRequest', async (request) => {
    request.principal = sessions ? await sessions.resolve(request) : undefined;
    limiter.count(rateLimitKey(request));
  });
  app.addHook('preParsing', async (request, _reply, payload) => {
    enforceAccess(request);
    return payload;
  });
  noStore(app);
  csrfTokenRoute(app);
  await app.register(options.routes);
};
