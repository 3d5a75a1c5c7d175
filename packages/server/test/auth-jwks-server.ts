// Test utilities for the auth integration tests: a local PKI from @cryptoutil/tls (root ->
// intermediate -> server leaf for localhost and 127.0.0.1), a real HTTPS JWKS server (the suite's TLS 1.3 server options)
// on 127.0.0.1 that counts its fetches, and a minimal FastifyRequest stand-in for driving
// `authenticate()` directly.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateCertificateSet,
  serverTlsOptions,
  writeCertificateSet,
  type CertificateSet,
} from '@cryptoutil/tls';
import type { FastifyRequest } from 'fastify';
import type { JWK } from 'jose';

export interface TestCertificate {
  readonly set: CertificateSet;
  /** The root CA certificate on disk: what `auth.jwt.caFile` names. */
  readonly caFile: string;
  remove(): Promise<void>;
}

/** A fresh local PKI whose files live in a tmp dir until `remove()`. */
export async function createTestCertificate(): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'cryptoutil-auth-'));
  const set = await generateCertificateSet({ label: 'auth-test' });
  const paths = await writeCertificateSet(dir, set);
  return { set, caFile: paths.ca, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface JwksServer {
  /** `https://127.0.0.1:<port>` */
  readonly origin: string;
  /** The served key set; tests mutate it to rotate keys. */
  readonly keys: JWK[];
  /** Successful GETs of /jwks.json so far. */
  readonly fetches: number;
  close(): Promise<void>;
}

/**
 * Serves `/jwks.json` from `keys`; `/redirect` answers 302 to it, `/large` sends more than
 * 1 MiB, `/hang` never answers (exercises the fetch timeout).
 */
export async function startJwksServer(certificate: TestCertificate): Promise<JwksServer> {
  const keys: JWK[] = [];
  let fetches = 0;
  const server: Server = createServer(
    serverTlsOptions({
      cert: certificate.set.serverChain,
      key: certificate.set.serverKey,
      ca: [certificate.set.rootCert],
      clientAuth: 'none',
    }),
    (req, res) => {
      if (req.url === '/jwks.json') {
        fetches += 1;
        res
          .writeHead(200, { 'content-type': 'application/jwk-set+json' })
          .end(JSON.stringify({ keys }));
      } else if (req.url === '/redirect') {
        res.writeHead(302, { location: '/jwks.json' }).end();
      } else if (req.url === '/large') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(`{"keys":[],"pad":"${'x'.repeat(1_100_000)}"}`);
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else if (req.url !== '/hang') {
        res.writeHead(404).end();
      }
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    keys,
    get fetches() {
      return fetches;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Just enough of a FastifyRequest for `Authenticator.authenticate`. */
export function fakeRequest(
  headers: Record<string, string> = {},
  socket: object = { encrypted: false },
): FastifyRequest {
  return { headers, socket } as unknown as FastifyRequest;
}
