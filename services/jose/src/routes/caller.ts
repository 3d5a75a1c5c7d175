// Who is calling: the tenant and the audit actor of a scoped request. The service chain
// guarantees a principal on scoped routes.
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../service/operations.js';

export function callerOf(request: FastifyRequest): Caller {
  const principal = request.principal;
  if (!principal) throw new TypeError('scoped route reached without a principal');
  return {
    tenantId: principal.tenant,
    actor: { subject: principal.subject, method: principal.method, requestId: request.id },
  };
}
