// /jwks: create (generated or BYOK), list, get, update, delete, rotate, versions (list, get,
// retire) and the set's public JWKS. Every call is scoped to the caller's tenant; another
// tenant's set is a 404 like a missing one.
import { callerOf } from '@cryptoutil/server';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { KeySets } from '../service/key-sets.js';
import type { PublishedJwks } from '../service/published-jwks.js';
import {
  createKeySetBody,
  idParams,
  itemsOf,
  jwksSchema,
  keySetSchema,
  pageOf,
  pageQuery,
  rotateBody,
  toKeySetJson,
  toVersionJson,
  updateKeySetBody,
  versionParams,
  versionSchema,
} from './schemas.js';

export function keySetRoutes(sets: KeySets, published: PublishedJwks) {
  return (app: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const typed = app.withTypeProvider<ZodTypeProvider>();
    const scoped = (scope: string) => ({ config: { scopes: [scope] } });
    typed.post(
      '/jwks',
      {
        ...scoped('jose:write'),
        schema: { body: createKeySetBody, response: { 201: keySetSchema } },
      },
      async (request, reply) => {
        const { tenantId, actor } = callerOf(request);
        const set = await sets.create(tenantId, actor, request.body);
        published.invalidate();
        return reply.code(201).send(toKeySetJson(set));
      },
    );
    typed.get(
      '/jwks',
      {
        ...scoped('jose:read'),
        schema: { querystring: pageQuery, response: { 200: pageOf(keySetSchema) } },
      },
      async (request) => {
        const page = await sets.list(callerOf(request).tenantId, request.query);
        return {
          items: page.items.map(toKeySetJson),
          ...(page.nextPageToken === undefined ? {} : { nextPageToken: page.nextPageToken }),
        };
      },
    );
    typed.get(
      '/jwks/:id',
      { ...scoped('jose:read'), schema: { params: idParams, response: { 200: keySetSchema } } },
      async (request) =>
        toKeySetJson(await sets.get(callerOf(request).tenantId, request.params.id)),
    );
    typed.patch(
      '/jwks/:id',
      {
        ...scoped('jose:write'),
        schema: { params: idParams, body: updateKeySetBody, response: { 200: keySetSchema } },
      },
      async (request) => {
        const { tenantId, actor } = callerOf(request);
        const set = await sets.update(tenantId, actor, request.params.id, request.body);
        published.invalidate();
        return toKeySetJson(set);
      },
    );
    typed.delete(
      '/jwks/:id',
      { ...scoped('jose:admin'), schema: { params: idParams } },
      async (request, reply) => {
        const { tenantId, actor } = callerOf(request);
        await sets.delete(tenantId, actor, request.params.id);
        published.invalidate();
        return reply.code(204).send();
      },
    );
    typed.post(
      '/jwks/:id/rotate',
      {
        ...scoped('jose:write'),
        schema: { params: idParams, body: rotateBody, response: { 201: versionSchema } },
      },
      async (request, reply) => {
        const { tenantId, actor } = callerOf(request);
        const version = await sets.rotate(tenantId, actor, request.params.id, request.body.jwk);
        published.invalidate();
        const set = await sets.get(tenantId, request.params.id);
        return reply.code(201).send(toVersionJson(set, version));
      },
    );
    typed.get(
      '/jwks/:id/versions',
      {
        ...scoped('jose:read'),
        schema: { params: idParams, response: { 200: itemsOf(versionSchema) } },
      },
      async (request) => {
        const { set, versions } = await sets.versions(
          callerOf(request).tenantId,
          request.params.id,
        );
        return { items: versions.map((v) => toVersionJson(set, v)) };
      },
    );
    typed.get(
      '/jwks/:id/versions/:version',
      {
        ...scoped('jose:read'),
        schema: { params: versionParams, response: { 200: versionSchema } },
      },
      async (request) => {
        const { id, version } = request.params;
        const found = await sets.version(callerOf(request).tenantId, id, version);
        return toVersionJson(found.set, found.version);
      },
    );
    typed.post(
      '/jwks/:id/versions/:version/retire',
      {
        ...scoped('jose:write'),
        schema: { params: versionParams, response: { 200: versionSchema } },
      },
      async (request) => {
        const { tenantId, actor } = callerOf(request);
        const { id, version } = request.params;
        const found = await sets.retire(tenantId, actor, id, version);
        published.invalidate();
        return toVersionJson(found.set, found.version);
      },
    );
    typed.get(
      '/jwks/:id/jwks.json',
      { ...scoped('jose:read'), schema: { params: idParams, response: { 200: jwksSchema } } },
      async (request) => ({
        keys: await sets.publicJwks(callerOf(request).tenantId, request.params.id),
      }),
    );
    done();
  };
}
