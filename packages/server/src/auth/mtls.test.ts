import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../problems/index.js';
import { principalFromClientCertificate } from './mtls.js';

const options = { tenant: 'acme', scopes: ['kms:read'] };

function tlsSocket(authorized: boolean, certificate: object): Socket {
  return {
    encrypted: true,
    authorized,
    getPeerCertificate: () => certificate,
  } as unknown as Socket;
}

function detailOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemError);
    return (error as ProblemError).detail;
  }
  throw new Error('expected a ProblemError');
}

describe('principalFromClientCertificate', () => {
  it('names the principal by the subject CN of a verified certificate', () => {
    const principal = principalFromClientCertificate(
      tlsSocket(true, { subject: { CN: 'billing-svc', O: 'x' } }),
      options,
    );
    expect(principal).toEqual({
      subject: 'billing-svc',
      tenant: 'acme',
      scopes: ['kms:read'],
      method: 'mtls',
    });
  });

  it('uses the most specific CN when the subject has several', () => {
    const socket = tlsSocket(true, { subject: { CN: ['outer', 'inner'] } });
    expect(principalFromClientCertificate(socket, options)?.subject).toBe('inner');
  });

  it('returns undefined without TLS or without a client certificate', () => {
    expect(principalFromClientCertificate(undefined, options)).toBeUndefined();
    expect(
      principalFromClientCertificate({ encrypted: false } as unknown as Socket, options),
    ).toBeUndefined();
    expect(principalFromClientCertificate(tlsSocket(false, {}), options)).toBeUndefined();
  });

  it('refuses a certificate the listener could not verify', () => {
    expect(
      detailOf(() =>
        principalFromClientCertificate(tlsSocket(false, { subject: { CN: 'x' } }), options),
      ),
    ).toBe('client certificate not trusted');
  });

  it('refuses a verified certificate without a CN', () => {
    expect(
      detailOf(() =>
        principalFromClientCertificate(tlsSocket(true, { subject: { O: 'x' } }), options),
      ),
    ).toBe('client certificate has no subject common name');
    expect(
      detailOf(() => principalFromClientCertificate(tlsSocket(true, { issuer: {} }), options)),
    ).toBe('client certificate has no subject common name');
  });
});
