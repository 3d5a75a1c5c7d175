// /elastic-keys/{id}/material-keys: the versions of a key. POST generates a new version (the
// new primary), POST …/import adds a BYOK version from a private JWK, GET lists (newest first)
// or shows one with its public part only, POST …/{kid}/revoke retires one for good.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { KeyManagement } from '../service/key-management.js';
import { tenantOf } from './elastic-keys.js';
import {
  idParams,
  kidParams,
  materialKeySchema,
  pageOf,
  pageQuery,
  toMaterialKeyJson,
} from './schemas.js';

const importBody = z.strictObject({
  jwk: z
    .record(z.string(), z.unknown())
    .describe('The private key as a JWK (RFC 7517); its kid, alg and use are replaced'),
});

export function materialKeyRoutes(keys: KeyManagement) {
  return (app: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const typed = app.withTypeProvider<ZodTypeProvider>();
    const base = '/elastic-keys/:id/material-keys';
    const created = { 201: materialKeySchema };
    typed.post(
      base,
      {
        config: { scopes: ['kms:write'] },
        schema: { params: idParams, body: z.object({}).optional(), response: created },
      },
      async (request, reply) => {
        const version = await keys.generateVersion(tenantOf(request), request.params.id);
        return reply.code(201).send(toMaterialKeyJson(version));
      },
    );
    typed.post(
      `${base}/import`,
      {
        config: { scopes: ['kms:write'] },
        schema: { params: idParams, body: importBody, response: created },
      },
      async (request, reply) => {
        const version = await keys.importVersion(
          tenantOf(request),
          request.params.id,
          request.body.jwk,
        );
        return reply.code(201).send(toMaterialKeyJson(version));
      },
    );
    typed.get(
      base,
      {
        config: { scopes: ['kms:read'] },
        schema: {
          params: idParams,
          querystring: pageQuery,
          response: { 200: pageOf(materialKeySchema) },
        },
      },
      async (request) => {
        const page = await keys.listVersions(tenantOf(request), request.params.id, request.query);
        return { ...page, items: page.items.map(toMaterialKeyJson) };
      },
    );
    typed.get(
      `${base}/:kid`,
      {
        config: { scopes: ['kms:read'] },
        schema: { params: kidParams, response: { 200: materialKeySchema } },
      },
      async (request) => {
        const { id, kid } = request.params;
        return toMaterialKeyJson(await keys.getVersion(tenantOf(request), id, kid));
      },
    );
    typed.post(
      `${base}/:kid/revoke`,
      {
        config: { scopes: ['kms:write'] },
        schema: {
          params: kidParams,
          body: z.object({}).optional(),
          response: { 200: materialKeySchema },
        },
      },
      async (request) => {
        const { id, kid } = request.params;
        return toMaterialKeyJson(await keys.revokeVersion(tenantOf(request), id, kid));
      },
    );
    done();
  };
}
