// /cas and /profiles: the CA hierarchy (each CA's certificate, its chain in JSON or PEM) and the
// certificate profiles. Read-only; scope ca:read.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CaError } from '../domain/ca-error.js';
import type { Profile } from '../domain/profile.js';
import type { CaUrls } from '../service/ca-urls.js';
import type { Hierarchy } from '../service/hierarchy.js';
import { formatOf, sendDer, sendPem } from './formats.js';
import {
  caIdParams,
  caSchema,
  chainSchema,
  formatQuery,
  itemsOf,
  profileIdParams,
  profileSchemaJson,
  toCaJson,
  toProfileJson,
} from './schemas.js';
import { toPem } from '../crypto/pem.js';

export function authorityRoutes(
  hierarchy: Hierarchy,
  profiles: ReadonlyMap<string, Profile>,
  urls: CaUrls,
) {
  return (app: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const typed = app.withTypeProvider<ZodTypeProvider>();
    const read = { config: { scopes: ['ca:read'] } };
    const crlOf = (id: string) => (hierarchy.get(id).hasKey ? urls.crl(id) : undefined);
    typed.get('/cas', { ...read, schema: { response: { 200: itemsOf(caSchema) } } }, async () => {
      await hierarchy.ready();
      return { items: hierarchy.list().map((a) => toCaJson(a, crlOf(a.id))) };
    });
    typed.get(
      '/cas/:id',
      {
        ...read,
        schema: { params: caIdParams, querystring: formatQuery, response: { 200: caSchema } },
      },
      async (request, reply) => {
        await hierarchy.ready();
        const authority = hierarchy.get(request.params.id);
        const format = formatOf(request, request.query.format);
        if (format === 'pem') return sendPem(reply, [authority.certificate]);
        if (format === 'der') return sendDer(reply, authority.certificate);
        return toCaJson(authority, crlOf(authority.id));
      },
    );
    typed.get(
      '/cas/:id/chain',
      {
        ...read,
        schema: { params: caIdParams, querystring: formatQuery, response: { 200: chainSchema } },
      },
      async (request, reply) => {
        await hierarchy.ready();
        const { chain } = hierarchy.get(request.params.id);
        const format = formatOf(request, request.query.format);
        if (format === 'der')
          throw new CaError('invalid-request', 'a chain has no DER form; ask for pem or json');
        if (format === 'pem') return sendPem(reply, chain);
        return { certificatesPem: chain.map((der) => toPem(der, 'CERTIFICATE')) };
      },
    );
    typed.get(
      '/profiles',
      { ...read, schema: { response: { 200: itemsOf(profileSchemaJson) } } },
      () => ({ items: [...profiles.values()].map(toProfileJson) }),
    );
    typed.get(
      '/profiles/:id',
      { ...read, schema: { params: profileIdParams, response: { 200: profileSchemaJson } } },
      (request) => {
        const profile = profiles.get(request.params.id);
        if (profile === undefined)
          throw new CaError('not-found', `no profile ${request.params.id}`);
        return toProfileJson(profile);
      },
    );
    done();
  };
}
