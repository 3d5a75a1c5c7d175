// /audit: the tenant's audit records, newest first, for admins (jose:admin).
import { callerOf } from '@cryptoutil/server';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuditLog } from '../service/audit-log.js';
import { auditQuery, auditRecordSchema, pageOf, toAuditJson } from './schemas.js';

export function auditRoutes(audit: AuditLog) {
  return (app: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    app.withTypeProvider<ZodTypeProvider>().get(
      '/audit',
      {
        config: { scopes: ['jose:admin'] },
        schema: { querystring: auditQuery, response: { 200: pageOf(auditRecordSchema) } },
      },
      async (request) => {
        const { jwks, since, until, ...rest } = request.query;
        const page = await audit.list(callerOf(request).tenantId, {
          ...rest,
          ...(jwks === undefined ? {} : { setId: jwks }),
          ...(since === undefined ? {} : { since: Date.parse(since) }),
          ...(until === undefined ? {} : { until: Date.parse(until) }),
        });
        return {
          items: page.items.map(toAuditJson),
          ...(page.nextPageToken === undefined ? {} : { nextPageToken: page.nextPageToken }),
        };
      },
    );
    done();
  };
}
