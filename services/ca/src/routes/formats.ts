// Certificates in the format a client asks for: `?format=` first, then Accept (RFC 8555 §7.4.2's
// application/pem-certificate-chain, RFC 2585's application/pkix-cert), else JSON.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toPem } from '../crypto/pem.js';

export type Format = 'json' | 'pem' | 'der';

export const PEM_CHAIN = 'application/pem-certificate-chain';
export const PKIX_CERT = 'application/pkix-cert';

export function formatOf(request: FastifyRequest, explicit: Format | undefined): Format {
  if (explicit !== undefined) return explicit;
  const accept = request.headers.accept ?? '';
  if (accept.includes(PEM_CHAIN) || accept.includes('application/x-pem-file')) return 'pem';
  if (accept.includes(PKIX_CERT)) return 'der';
  return 'json';
}

export function sendPem(reply: FastifyReply, certificates: readonly Uint8Array[]): FastifyReply {
  return reply.type(PEM_CHAIN).send(certificates.map((der) => toPem(der, 'CERTIFICATE')).join(''));
}

export function sendDer(reply: FastifyReply, der: Uint8Array): FastifyReply {
  return reply.type(PKIX_CERT).send(Buffer.from(der.buffer, der.byteOffset, der.byteLength));
}
