// mTLS authentication over real TLS 1.3 sockets: a listener that requests (but does not
// require) client certificates hands each request's socket to `authenticate()`, so the
// principal comes from what Node's TLS layer actually verified.
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  clientTlsOptions,
  generateCertificateSet,
  issueClientCertificate,
  serverTlsOptions,
  type CertificateSet,
} from '@cryptoutil/tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authConfigSchema,
  createAuthenticator,
  generateApiKey,
  hashApiKey,
} from '../src/auth/index.js';
import type { ProblemError } from '../src/problems/index.js';
import { fakeRequest } from './auth-jwks-server.js';

const PEPPER = 'mtls-pepper-0123456789abcdef0123456789';
const apiKey = generateApiKey({ id: 'deploy' });
const authenticator = createAuthenticator(
  authConfigSchema.parse({
    mtls: { enabled: true, tenant: 'internal', scopes: ['ca:read'] },
    apiKeys: [{ id: 'deploy', hash: hashApiKey(apiKey.key, PEPPER), scopes: ['kms:encrypt'] }],
    pepper: PEPPER,
  }),
);

let pki: CertificateSet;
let server: Server;
let port: number;

beforeAll(async () => {
  pki = await generateCertificateSet({ label: 'mtls-test' });
  const material = { cert: pki.serverChain, key: pki.serverKey, ca: [pki.rootCert] };
  server = createServer(
    serverTlsOptions({ ...material, clientCa: [pki.rootCert], clientAuth: 'optional' }),
    (req, res) => {
      // A principal known at once comes back without a promise; resolve() takes either.
      Promise.resolve()
        .then(() =>
          authenticator.authenticate(
            fakeRequest(req.headers as Record<string, string>, req.socket),
          ),
        )
        .then(
          (principal) => res.end(JSON.stringify({ principal: principal ?? null })),
          (error: unknown) => res.end(JSON.stringify({ detail: (error as ProblemError).detail })),
        );
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function call(
  client: { cert?: string; key?: string },
  headers: Record<string, string> = {},
): Promise<unknown> {
  const tls = clientTlsOptions({ ca: pki.rootCert, ...client });
  return new Promise((resolve, reject) => {
    const req = request(
      { ...tls, host: '127.0.0.1', port, path: '/', headers, agent: false },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(JSON.parse(body)));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('mTLS over a real TLS listener', () => {
  it('names the principal after the CN of a verified client certificate', async () => {
    const client = await issueClientCertificate({
      issuerCert: pki.intermediateCert,
      issuerKey: pki.intermediateKey,
      commonName: 'billing-worker',
    });
    expect(await call({ cert: client.chain, key: client.key })).toEqual({
      principal: {
        subject: 'billing-worker',
        tenant: 'internal',
        scopes: ['ca:read'],
        method: 'mtls',
      },
    });
  });

  it('returns no principal when the client sends no certificate', async () => {
    expect(await call({})).toEqual({ principal: null });
  });

  it('refuses a certificate from a CA the listener does not trust', async () => {
    const other = await generateCertificateSet({ label: 'foreign' });
    const client = await issueClientCertificate({
      issuerCert: other.intermediateCert,
      issuerKey: other.intermediateKey,
      commonName: 'intruder',
    });
    expect(await call({ cert: client.chain, key: client.key })).toEqual({
      detail: 'client certificate not trusted',
    });
  });

  it('lets a bearer API key win over the client certificate', async () => {
    const client = await issueClientCertificate({
      issuerCert: pki.intermediateCert,
      issuerKey: pki.intermediateKey,
      commonName: 'billing-worker',
    });
    const result = await call(
      { cert: client.chain, key: client.key },
      { authorization: `Bearer ${apiKey.key}` },
    );
    expect(result).toEqual({
      principal: {
        subject: 'deploy',
        tenant: 'default',
        scopes: ['kms:encrypt'],
        method: 'api-key',
      },
    });
  });
});
