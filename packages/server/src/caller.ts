// Who is calling a scoped route, as products need it: the tenant whose data the call sees, and
// the actor their audit records name (subject, how it authenticated, the request id). The
// service and browser chains guarantee a principal on every scoped route.
import type { FastifyRequest } from 'fastify';

export interface CallerActor {
  readonly subject: string;
  readonly method: string;
  readonly requestId?: string;
}

export interface Caller {
  readonly tenantId: string;
  readonly actor: CallerActor;
}

export function callerOf(request: FastifyRequest): Caller {
  const principal = request.principal;
  if (!principal) throw new TypeError('scoped route reached without a principal');
  return {
    tenantId: principal.tenant,
    actor: { subject: principal.subject, method: principal.method, requestId: request.id },
  };
}
