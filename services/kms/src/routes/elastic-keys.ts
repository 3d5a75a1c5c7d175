// /elastic-keys: create, list (filters, sort, paging), get, rename, enable, disable, soft
// delete and its cancellation, and purge by an admin. Every call is scoped to the caller's
// tenant; another tenant's key is a 404 like a missing one.
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ElasticKeyEvent } from '../domain/elastic-key.js';
import type { KeyManagement } from '../service/key-management.js';
import {
  createElasticKeyBody,
  elasticKeySchema,
  idParams,
  listElasticKeysQuery,
  pageOf,
  toElasticKeyJson,
  updateElasticKeyBody,
} from './schemas.js';

/** The caller's tenant; the service chain guarantees a principal on scoped routes. */
export function tenantOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (!principal) throw new TypeError('scoped route reached without a principal');
  return principal.tenant;
}

const ACTIONS: ReadonlyArray<{ path: string; event: ElasticKeyEvent; scope: string }> = [
  { path: 'enable', event: 'enable', scope: 'kms:write' },
  { path: 'disable', event: 'disable', scope: 'kms:write' },
  { path: 'cancel-delete', event: 'cancel-delete', scope: 'kms:write' },
  { path: 'purge', event: 'purge', scope: 'kms:admin' },
];

export function elasticKeyRoutes(keys: KeyManagement) {
  return (app: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const typed = app.withTypeProvider<ZodTypeProvider>();
    const one = { 200: elasticKeySchema };
    typed.post(
      '/elastic-keys',
      {
        config: { scopes: ['kms:write'] },
        schema: { body: createElasticKeyBody, response: { 201: elasticKeySchema } },
      },
      async (request, reply) => {
        const { name, description, algorithm, versioningAllowed, importAllowed } = request.body;
        const key = await keys.create(tenantOf(request), {
          name,
          description,
          algorithm,
          versioningAllowed,
          importAllowed,
        });
        return reply.code(201).send(toElasticKeyJson(key));
      },
    );
    typed.get(
      '/elastic-keys',
      {
        config: { scopes: ['kms:read'] },
        schema: { querystring: listElasticKeysQuery, response: { 200: pageOf(elasticKeySchema) } },
      },
      async (request) => {
        const page = await keys.list(tenantOf(request), request.query);
        return { ...page, items: page.items.map(toElasticKeyJson) };
      },
    );
    typed.get(
      '/elastic-keys/:id',
      { config: { scopes: ['kms:read'] }, schema: { params: idParams, response: one } },
      async (request) => toElasticKeyJson(await keys.get(tenantOf(request), request.params.id)),
    );
    typed.patch(
      '/elastic-keys/:id',
      {
        config: { scopes: ['kms:write'] },
        schema: { params: idParams, body: updateElasticKeyBody, response: one },
      },
      async (request) =>
        toElasticKeyJson(await keys.update(tenantOf(request), request.params.id, request.body)),
    );
    typed.delete(
      '/elastic-keys/:id',
      { config: { scopes: ['kms:write'] }, schema: { params: idParams, response: one } },
      async (request) =>
        toElasticKeyJson(await keys.apply(tenantOf(request), request.params.id, 'delete')),
    );
    for (const action of ACTIONS) {
      typed.post(
        `/elastic-keys/:id/${action.path}`,
        {
          config: { scopes: [action.scope] },
          schema: { params: idParams, body: z.object({}).optional(), response: one },
        },
        async (request) =>
          toElasticKeyJson(await keys.apply(tenantOf(request), request.params.id, action.event)),
      );
    }
    done();
  };
}
