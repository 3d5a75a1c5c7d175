// What both API chains enforce once the caller is known (the route declares it in `config`):
// no principal -> 401 with a Bearer challenge (RFC 9110 §15.5.2 requires WWW-Authenticate);
// a missing scope -> 403 naming the missing scopes (RFC 6750 §3.1 insufficient_scope).
import type { FastifyRequest } from 'fastify';
import { missingScopes } from '../auth/principal.js';
import { ProblemError, problems } from '../problems/index.js';
import '../route-config.js';

/** Throws the 401 or 403 problem when `request` may not reach its route. */
export function enforceAccess(request: FastifyRequest): void {
  const config = request.routeOptions.config;
  if (config.public === true) return;
  const principal = request.principal;
  if (principal === undefined) {
    throw new ProblemError(problems.unauthenticated, {
      detail: 'this operation requires credentials',
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  const required = config.scopes;
  // The common case allocates nothing: every scope held.
  if (required === undefined || required.every((scope) => principal.scopes.includes(scope))) {
    return;
  }
  const missing = missingScopes(principal, required);
  throw new ProblemError(problems.insufficientScope, {
    detail: `missing scope(s): ${missing.join(' ')}`,
    extensions: { missingScopes: missing },
    headers: {
      'www-authenticate': `Bearer error="insufficient_scope", scope="${required.join(' ')}"`,
    },
  });
}
