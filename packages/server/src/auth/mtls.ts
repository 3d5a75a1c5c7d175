// mTLS client authentication: a client certificate that the listener verified against its
// client CA (`socket.authorized`) names the principal by its subject CN. The TLS layer owns
// chain validation; this file only reads its verdict.
import type { TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { invalidCredentials } from './bearer-challenge.js';
import { createPrincipal, type Principal } from './principal.js';

export interface MtlsOptions {
  readonly tenant: string;
  readonly scopes: readonly string[];
}

function isTlsSocket(socket: Socket | undefined): socket is TLSSocket {
  return socket !== undefined && (socket as Partial<TLSSocket>).encrypted === true;
}

/**
 * The principal of a verified client certificate, `undefined` when none was presented. A
 * certificate that failed verification (the listener requested but did not require one) or
 * that has no CN is a bad credential.
 */
export function principalFromClientCertificate(
  socket: Socket | undefined,
  options: MtlsOptions,
): Principal | undefined {
  if (!isTlsSocket(socket)) return undefined;
  const certificate = socket.getPeerCertificate();
  // Node returns an empty object when the client sent no certificate.
  if (certificate === null || Object.keys(certificate).length === 0) return undefined;
  if (!socket.authorized) throw invalidCredentials('client certificate not trusted');
  const cn: unknown = certificate.subject?.CN;
  const subject = Array.isArray(cn) ? (cn as unknown[]).at(-1) : cn;
  if (typeof subject !== 'string' || subject === '') {
    throw invalidCredentials('client certificate has no subject common name');
  }
  return createPrincipal({
    subject,
    tenant: options.tenant,
    scopes: options.scopes,
    method: 'mtls',
  });
}
