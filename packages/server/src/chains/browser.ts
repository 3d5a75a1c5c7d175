// The `/browser/api/v1` chain (ARCHITECTURE §2): helmet security headers, CORS allow-list and
// origin guard, session cookie through the pluggable SessionResolver, CSRF token on unsafe
// methods, per-client rate limit, scope checks and `Cache-Control: no-store`. It also serves
// `GET <prefix>/csrf-token`, which hands the browser its token for the `x-csrf-token` header.
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import type { FastifyPluginAsync } from 'fastify';
import type { RateLimitConfig } from '../config.js';
import type { SessionResolver } from '../principal.js';
import { enforceAccess } from './access.js';
import { helmetOptions } from './browser-headers.js';
import { noStore } from './no-store.js';
import { createOriginGuard, SAFE_METHODS } from './origin-guard.js';
import { rateLimit, rateLimitOptions } from './rate-limit.js';
import type { ApiRoutes } from './routes.js';

export const CSRF_HEADER = 'x-csrf-token';
// `__Host-` (RFC 6265bis §4.1.3.2): Secure, Path=/, no Domain, so no subdomain can plant it.
export const CSRF_COOKIE = '__Host-csrf';

export interface BrowserChainOptions {
  readonly sessions?: SessionResolver | undefined;
  readonly allowedOrigins: readonly string[];
  readonly rateLimit: RateLimitConfig;
  readonly routes: ApiRoutes;
}

export const browserChain: FastifyPluginAsync<BrowserChainOptions> = async (app, options) => {
  await app.register(helmet, helmetOptions);
  await app.register(cookie);
  const allowed = new Set(options.allowedOrigins);
  // The catch-all OPTIONS route of @fastify/cors only answers preflights it did not handle
  // (other origins): 404 for everyone, never a 401.
  app.addHook('onRoute', (route) => {
    if (route.method === 'OPTIONS' && route.url.endsWith('*'))
      route.config = { ...route.config, public: true };
  });
  await app.register(cors, {
    // `false` for any other origin: no CORS header at all, and its preflight finds no route.
    origin: (origin, callback) => {
      callback(null, origin !== undefined && allowed.has(origin) ? origin : false);
    },
    strictPreflight: false,
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['content-type', CSRF_HEADER, 'x-request-id'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
  app.addHook('onRequest', createOriginGuard(options.allowedOrigins));
  await app.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', secure: true, httpOnly: true, sameSite: 'strict' },
    getToken: (request) => {
      const token = request.headers[CSRF_HEADER];
      return typeof token === 'string' ? token : undefined;
    },
  });
  app.addHook('onRequest', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method)) return done();
    app.csrfProtection(request, reply, done);
  });
  const sessions = options.sessions;
  app.addHook('onRequest', async (request) => {
    request.principal = sessions ? await sessions.resolve(request) : undefined;
  });
  await app.register(rateLimit, rateLimitOptions(options.rateLimit));
  app.addHook('preParsing', async (request, _reply, payload) => {
    enforceAccess(request);
    return payload;
  });
  noStore(app);
  app.get('/csrf-token', { config: { public: true } }, async (_request, reply) => ({
    token: reply.generateCsrf(),
  }));
  await app.register(options.routes);
};
