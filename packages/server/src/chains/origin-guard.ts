// Cross-origin policy of the browser API. @fastify/cors answers allowed origins; this guard
// refuses unsafe methods (RFC 9110 §9.2.1) from any other origin with 403, because a "simple"
// cross-origin POST reaches the server even when the browser hides the answer (CSRF).
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ProblemError, problems } from '../problems/index.js';

export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether `request` may run an unsafe method given its `Origin` (absent = not a CORS call). */
export function isOriginAllowed(request: FastifyRequest, allowed: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  // Same-origin requests also carry Origin on POST (Fetch §3.1); the browser sets both headers.
  return allowed.has(origin) || origin === `https://${request.host}`;
}

export function createOriginGuard(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (SAFE_METHODS.has(request.method) || isOriginAllowed(request, allowed)) return done();
    done(new ProblemError(problems.corsOrigin, { detail: 'origin not allowed for this method' }));
  };
}
