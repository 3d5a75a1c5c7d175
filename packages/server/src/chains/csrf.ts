// CSRF protection of the browser API (@fastify/csrf-protection): a secret in a `__Host-` cookie,
// and on every unsafe method a token derived from it in the `x-csrf-token` header (a header a
// cross-site form cannot set). `GET <prefix>/csrf-token` hands the browser its token.
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance } from 'fastify';
import '../route-config.js';
import { SAFE_METHODS } from './origin-guard.js';

export const CSRF_HEADER = 'x-csrf-token';
// `__Host-` (RFC 6265bis §4.1.3.2): Secure, Path=/, no Domain, so no subdomain can plant it.
export const CSRF_COOKIE = '__Host-csrf';

/** Registers the plugin and the check of unsafe methods (@fastify/cookie must be registered). */
export async function registerCsrf(app: FastifyInstance): Promise<void> {
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
}

/** `GET /csrf-token` -> `{ token }`, served without a principal. */
export function csrfTokenRoute(app: FastifyInstance): void {
  app.get('/csrf-token', { config: { public: true } }, (_request, reply) => ({
    token: reply.generateCsrf(),
  }));
}
