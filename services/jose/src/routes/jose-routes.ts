// Every JOSE route plugin in one encapsulated context, with the one place JoseError becomes a
// problem: this context's error handler maps it and rethrows, so the kit's handler (the
// parent) still renders every problem the same way.
import type { FastifyInstance } from 'fastify';
import { isJoseError } from '../domain/jose-error.js';
import type { AuditLog } from '../service/audit-log.js';
import type { KeySets } from '../service/key-sets.js';
import type { Operations } from '../service/operations.js';
import type { PublishedJwks } from '../service/published-jwks.js';
import { auditRoutes } from './audit.js';
import { joseProblem } from './jose-problems.js';
import { keySetRoutes } from './key-sets.js';
import { operationRoutes } from './operations.js';

export interface JoseRouteDeps {
  readonly sets: KeySets;
  readonly operations: Operations;
  readonly published: PublishedJwks;
  readonly audit: AuditLog;
  readonly maxPayloadBytes: number;
}

export function joseRoutes(deps: JoseRouteDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    app.setErrorHandler((error) => {
      throw isJoseError(error) ? joseProblem(error) : error;
    });
    await app.register(keySetRoutes(deps.sets, deps.published));
    await app.register(operationRoutes(deps.operations, deps.maxPayloadBytes));
    await app.register(auditRoutes(deps.audit));
  };
}
