// Test utilities for the auth integration tests: a self-signed P-256 certificate made by
// OpenSSL, a real HTTPS (TLS 1.3) JWKS server on 127.0.0.1 that counts its fetches, and a
// minimal FastifyRequest stand-in for driving `authenticate()` directly.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyRequest } from 'fastify';
import type { JWK } from 'jose';

const run = promisify(execFile);

export interface TestCertificate {
  readonly dir: string;
  readonly certFile: string;
  readonly cert: string;
  readonly key: string;
  remove(): Promise<void>;
}

/** A self-signed server certificate for localhost and 127.0.0.1 in a fresh tmp dir. */
export async function createTestCertificate(): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'cryptoutil-auth-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  // prettier-ignore
  await run('/usr/bin/openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-days', '1', '-keyout', keyFile, '-out', certFile,
  ]);
  return {
    dir,
    certFile,
    cert: await readFile(certFile, 'utf8'),
    key: await readFile(keyFile, 'utf8'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
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
    { cert: certificate.cert, key: certificate.key, minVersion: 'TLSv1.3' },
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
