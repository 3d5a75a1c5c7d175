// Revocation data under `/.well-known/pki-ca`, without authentication, on the HTTPS listener and
// on the plain-HTTP one (RFC 5280 §4.2.1.13 and §4.2.2.1, RFC 6960 Appendix A): each CA's
// certificate (AIA caIssuers, DER), its full CRL and its partition CRLs (DER; PEM with `.pem`),
// and the OCSP responder by POST (application/ocsp-request) and GET (the base64 request in the
// path). Everything here is signed data, and nothing writes.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CaError } from '../domain/ca-error.js';
import { crlToPem } from '../crypto/crl.js';
import { toPem } from '../crypto/pem.js';
import { OcspRequestError, decodeOcspGetPath } from '../crypto/ocsp-request.js';
import { ocspErrorResponse } from '../crypto/ocsp-response.js';
import type { CrlPublisher } from '../service/crl-publisher.js';
import type { Hierarchy } from '../service/hierarchy.js';
import type { OcspResponder } from '../service/ocsp-responder.js';

export interface RevocationDeps {
  readonly hierarchy: Hierarchy;
  readonly crls: CrlPublisher;
  readonly ocsp: OcspResponder;
}

const CA_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const OCSP_REQUEST = 'application/ocsp-request';
const OCSP_RESPONSE = 'application/ocsp-response';
/** Relying parties may keep a CRL or an OCSP answer this long (revocations are seen at once here). */
const MAX_AGE_S = 60;

function buffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function caId(value: string): string {
  if (!CA_ID.test(value)) throw new CaError('not-found', 'no such CA');
  return value;
}

function sendOcsp(reply: FastifyReply, der: Uint8Array): FastifyReply {
  return reply
    .type(OCSP_RESPONSE)
    .header('cache-control', `public, max-age=${MAX_AGE_S}`)
    .send(buffer(der));
}

/** The file name of a CRL path: `<id>.crl` or `<id>.pem`. */
function crlFile(name: string): { id: string; pem: boolean } {
  const match = /^([a-z0-9][a-z0-9-]{0,62})\.(crl|pem)$/.exec(name);
  if (match === null) throw new CaError('not-found', 'no such CRL');
  return { id: match[1] as string, pem: match[2] === 'pem' };
}

export function revocationRoutes(deps: RevocationDeps) {
  const { hierarchy, crls, ocsp } = deps;
  const sendCrl = async (reply: FastifyReply, id: string, pem: boolean, partition?: number) => {
    await hierarchy.ready();
    const crl = await crls.get(id, partition);
    const maxAge = Math.max(0, Math.min(MAX_AGE_S, (crl.nextUpdate.getTime() - Date.now()) / 1000));
    void reply
      .header('cache-control', `public, max-age=${Math.floor(maxAge)}`)
      .header('last-modified', crl.thisUpdate.toUTCString());
    return pem
      ? reply.type('application/x-pem-file').send(crlToPem(crl.der))
      : reply.type('application/pkix-crl').send(buffer(crl.der));
  };
  return (app: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    // RFC 6960 §A.1 names application/ocsp-request, but a client that labels its request
    // otherwise still gets an OCSP answer: a good one if the body is a request, else
    // malformedRequest, never an HTTP error in place of the protocol's own.
    for (const type of [OCSP_REQUEST, '*']) {
      app.addContentTypeParser(type, { parseAs: 'buffer' }, (_request, body, parsed) =>
        parsed(null, body),
      );
    }
    app.get<{ Params: { file: string } }>('/certs/:file', async (request, reply) => {
      const match = /^([a-z0-9][a-z0-9-]{0,62})\.(crt|cer|pem)$/.exec(request.params.file);
      if (match === null) throw new CaError('not-found', 'no such CA certificate');
      await hierarchy.ready();
      const { certificate } = hierarchy.get(match[1] as string);
      void reply.header('cache-control', 'public, max-age=3600');
      if (match[2] === 'pem') {
        return reply.type('application/x-pem-file').send(toPem(certificate, 'CERTIFICATE'));
      }
      return reply.type('application/pkix-cert').send(buffer(certificate));
    });
    app.get<{ Params: { file: string } }>('/crl/:file', async (request, reply) => {
      const { id, pem } = crlFile(request.params.file);
      return sendCrl(reply, id, pem);
    });
    app.get<{ Params: { id: string; file: string } }>('/crl/:id/:file', async (request, reply) => {
      const match = /^(\d{1,4})\.(crl|pem)$/.exec(request.params.file);
      if (match === null) throw new CaError('not-found', 'no such CRL partition');
      return sendCrl(reply, caId(request.params.id), match[2] === 'pem', Number(match[1]));
    });
    app.post('/ocsp', async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) {
        return sendOcsp(reply, ocspErrorResponse('malformedRequest'));
      }
      const response = await ocsp.respond(new Uint8Array(request.body));
      return sendOcsp(reply, response);
    });
    app.get<{ Params: { '*': string } }>('/ocsp/*', async (request, reply) => {
      let der: Uint8Array;
      try {
        der = decodeOcspGetPath(request.params['*']);
      } catch (err) {
        if (!(err instanceof OcspRequestError)) throw err;
        return sendOcsp(reply, ocspErrorResponse('malformedRequest'));
      }
      return sendOcsp(reply, await ocsp.respond(der));
    });
    done();
  };
}
