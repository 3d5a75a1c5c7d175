// /enroll, /certificates and /audit: enrollment from a PKCS#10 CSR (201 issued, or 202 pending
// an admin's approval), the tenant's certificates with filters and pages, one certificate as
// JSON, PEM or DER and its chain, revocation with an RFC 5280 reason, approval and rejection
// (ca:admin), and the audit log (ca:admin). Every call is scoped to the caller's tenant.
import type { FastifyInstance } from 'fastify';
import { callerOf } from '@cryptoutil/server';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CaError } from '../domain/ca-error.js';
import type { CertificateRecord } from '../domain/certificate.js';
import type { CaUrls } from '../service/ca-urls.js';
import type { Certificates } from '../service/certificates.js';
import type { Hierarchy } from '../service/hierarchy.js';
import { formatOf, sendDer, sendPem } from './formats.js';
import {
  auditQuery,
  auditRecordSchema,
  certificateIdParams,
  certificateQuery,
  certificateSchema,
  chainSchema,
  enrollBody,
  formatQuery,
  pageOf,
  revokeBody,
  toAuditJson,
  toCertificateJson,
} from './schemas.js';
import { toPem } from '../crypto/pem.js';

/**
 * A CSR as PEM text, or the base64 of its DER. Anything else goes on as text: the CSR parser
 * refuses it (invalid-csr) inside enrollment, so the refusal is audited like every other.
 */
function csrInput(text: string): string | Uint8Array {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN') || !/^[A-Za-z0-9+/=\s_-]+$/.test(trimmed)) return trimmed;
  return new Uint8Array(Buffer.from(trimmed, 'base64'));
}

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

export function certificateRoutes(certificates: Certificates, hierarchy: Hierarchy, urls: CaUrls) {
  return (app: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const typed = app.withTypeProvider<ZodTypeProvider>();
    const scoped = (scope: string) => ({ config: { scopes: [scope] } });
    const crlOf = (c: CertificateRecord) =>
      c.partition === undefined ? undefined : urls.crlPartition(c.issuerId, c.partition);
    const json = (c: CertificateRecord) => toCertificateJson(c, crlOf(c));

    typed.post(
      '/enroll',
      {
        ...scoped('ca:enroll'),
        schema: { body: enrollBody, response: { 201: certificateSchema, 202: certificateSchema } },
      },
      async (request, reply) => {
        const body = request.body;
        const record = await certificates.enroll(callerOf(request), {
          csr: csrInput(body.csr),
          profile: body.profile,
          issuer: body.issuer,
          validityDays: body.validityDays,
        });
        if (record.status === 'pending') {
          void reply.header('location', `certificates/${record.id}`);
          return reply.code(202).send(json(record));
        }
        return reply.code(201).header('location', `certificates/${record.id}`).send(json(record));
      },
    );
    typed.get(
      '/certificates',
      {
        ...scoped('ca:read'),
        schema: { querystring: certificateQuery, response: { 200: pageOf(certificateSchema) } },
      },
      async (request) => {
        const q = request.query;
        const page = await certificates.list(callerOf(request), {
          ...q,
          expiresBefore: ms(q.expiresBefore),
          expiresAfter: ms(q.expiresAfter),
        });
        return {
          items: page.items.map(json),
          ...(page.nextPageToken === undefined ? {} : { nextPageToken: page.nextPageToken }),
        };
      },
    );
    typed.get(
      '/certificates/:id',
      {
        ...scoped('ca:read'),
        schema: {
          params: certificateIdParams,
          querystring: formatQuery,
          response: { 200: certificateSchema },
        },
      },
      async (request, reply) => {
        const record = await certificates.get(callerOf(request), request.params.id);
        const format = formatOf(request, request.query.format);
        if (format === 'json') return json(record);
        if (record.der === undefined) {
          throw new CaError(
            'invalid-request',
            `certificate ${record.id} is ${record.status}: no certificate yet`,
          );
        }
        return format === 'pem' ? sendPem(reply, [record.der]) : sendDer(reply, record.der);
      },
    );
    typed.get(
      '/certificates/:id/chain',
      {
        ...scoped('ca:read'),
        schema: {
          params: certificateIdParams,
          querystring: formatQuery,
          response: { 200: chainSchema },
        },
      },
      async (request, reply) => {
        const record = await certificates.get(callerOf(request), request.params.id);
        if (record.der === undefined) {
          throw new CaError(
            'invalid-request',
            `certificate ${record.id} is ${record.status}: no certificate yet`,
          );
        }
        await hierarchy.ready();
        const chain = [record.der, ...hierarchy.get(record.issuerId).chain];
        const format = formatOf(request, request.query.format);
        if (format === 'der')
          throw new CaError('invalid-request', 'a chain has no DER form; ask for pem or json');
        if (format === 'pem') return sendPem(reply, chain);
        return { certificatesPem: chain.map((der) => toPem(der, 'CERTIFICATE')) };
      },
    );
    typed.post(
      '/certificates/:id/revoke',
      {
        ...scoped('ca:revoke'),
        schema: {
          params: certificateIdParams,
          // No body at all is a revocation without a reason (unspecified), as `{}` is.
          body: revokeBody.optional(),
          response: { 200: certificateSchema },
        },
      },
      async (request) =>
        json(
          await certificates.revoke(
            callerOf(request),
            request.params.id,
            request.body?.reason ?? 'unspecified',
          ),
        ),
    );
    typed.post(
      '/certificates/:id/approve',
      {
        ...scoped('ca:admin'),
        schema: { params: certificateIdParams, response: { 200: certificateSchema } },
      },
      async (request) => json(await certificates.approve(callerOf(request), request.params.id)),
    );
    typed.post(
      '/certificates/:id/reject',
      {
        ...scoped('ca:admin'),
        schema: { params: certificateIdParams, response: { 200: certificateSchema } },
      },
      async (request) => json(await certificates.reject(callerOf(request), request.params.id)),
    );
    typed.get(
      '/audit',
      {
        ...scoped('ca:admin'),
        schema: { querystring: auditQuery, response: { 200: pageOf(auditRecordSchema) } },
      },
      async (request) => {
        const q = request.query;
        const page = await certificates.audit(callerOf(request), {
          ...q,
          since: ms(q.since),
          until: ms(q.until),
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
