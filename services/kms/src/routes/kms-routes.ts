// Every KMS route plugin in one encapsulated context, with the one place KmsError becomes a
// problem: this context's error handler maps it and rethrows, so the kit's handler (the
// parent) still renders every problem the same way.
import type { FastifyInstance } from 'fastify';
import { isKmsError } from '../domain/kms-error.js';
import type { KeyManagement } from '../service/key-management.js';
import type { KeyOperations } from '../service/key-operations.js';
import { elasticKeyRoutes } from './elastic-keys.js';
import { kmsProblem } from './kms-problems.js';
import { materialKeyRoutes } from './material-keys.js';
import { operationRoutes } from './operations.js';

export interface KmsRouteDeps {
  readonly keys: KeyManagement;
  readonly operations: KeyOperations;
  readonly maxPayloadBytes: number;
}

export function kmsRoutes(deps: KmsRouteDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    app.setErrorHandler((error) => {
      throw isKmsError(error) ? kmsProblem(error) : error;
    });
    await app.register(elasticKeyRoutes(deps.keys));
    await app.register(materialKeyRoutes(deps.keys));
    await app.register(operationRoutes(deps.operations, deps.maxPayloadBytes));
  };
}
