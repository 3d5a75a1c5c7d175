// Real TLS 1.3 listeners on 127.0.0.1:0 built from serverTlsOptions: Node, openssl s_client and
// curl as clients; protocol floor, verification and mTLS outcomes.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientTlsOptions,
  generateCertificateSet,
  issueClientCertificate,
  loadTlsMaterial,
  serverTlsOptions,
  writeCertificateSet,
  type CertificateSet,
  type CertificateSetPaths,
  type TlsMaterial,
} from '../src/index.js';
import { createTempDir, openssl, type TempDir } from './fixtures.js';

const CURL = '/usr/bin/curl';

async function listen(material: TlsMaterial): Promise<{ server: Server; port: number }> {
  const server = createServer(serverTlsOptions(material), (req, res) => {
    const socket = req.socket as TLSSocket;
    res.end(`${socket.getProtocol()} authorized=${socket.authorized}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** GET / over TLS; resolves with the body or the error code, never rejects. */
function get(port: number, options: ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ ...options, host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve(`error ${error.code ?? ''}: ${error.message}`),
    );
    req.end();
  });
}

let tmp: TempDir;
let set: CertificateSet;
let paths: CertificateSetPaths;
beforeAll(async () => {
  tmp = await createTempDir('tls-listener-');
  set = await generateCertificateSet();
  paths = await writeCertificateSet(tmp.path, set);
});
afterAll(() => tmp.remove());

describe('TLS 1.3 listener (static mode from a generated set)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    const material = await loadTlsMaterial({
      mode: 'static',
      certFile: paths.server,
      keyFile: paths.serverKey,
      caFile: paths.ca,
    });
    ({ server, port } = await listen(material));
  });
  afterAll(() => close(server));

  it('openssl verify accepts the written chain', async () => {
    const result = await openssl([
      'verify',
      '-CAfile',
      paths.ca,
      '-untrusted',
      paths.intermediate,
      paths.server,
    ]);
    expect(result).toEqual({ code: 0, output: `${paths.server}: OK\n` });
  });

  it('accepts a TLS 1.3 client trusting the CA, for localhost and 127.0.0.1', async () => {
    expect(await get(port, clientTlsOptions({ ca: set.rootCert, servername: 'localhost' }))).toBe(
      'TLSv1.3 authorized=false',
    );
    expect(await get(port, clientTlsOptions({ ca: set.rootCert, servername: '127.0.0.1' }))).toBe(
      'TLSv1.3 authorized=false',
    );
  });

  it('refuses a TLS 1.2 client and a client that trusts another CA', async () => {
    // A plain Node client capped at TLS 1.2 (its default TLS 1.2 ciphers): the server refuses it.
    const tls12 = { ca: set.rootCert, maxVersion: 'TLSv1.2' } as const;
    expect(await get(port, tls12)).toMatch(/^error EPROTO: .*alert protocol version/);
    const stranger = await generateCertificateSet();
    expect(await get(port, clientTlsOptions({ ca: stranger.rootCert }))).toBe(
      'error UNABLE_TO_GET_ISSUER_CERT_LOCALLY: unable to get local issuer certificate',
    );
  });

  it('openssl s_client fails with -tls1_2 and verifies with -tls1_3', async () => {
    const target = [
      's_client',
      '-connect',
      `127.0.0.1:${port}`,
      '-servername',
      'localhost',
      '-CAfile',
      paths.ca,
    ];
    const tls12 = await openssl([...target, '-tls1_2'], 'Q\n');
    expect(tls12.code).not.toBe(0);
    expect(tls12.output).toMatch(/alert protocol version|no protocols available|wrong version/);
    const tls13 = await openssl(
      [...target, '-tls1_3', '-verify_return_error', '-verify_hostname', 'localhost'],
      'Q\n',
    );
    expect(tls13.output).toContain('Verify return code: 0 (ok)');
    expect(tls13.output).toMatch(
      /New, TLSv1\.3, Cipher is TLS_AES_(256_GCM_SHA384|128_GCM_SHA256)/,
    );
  });

  it.skipIf(!existsSync(CURL))(
    'curl --cacert ca.pem https://localhost:PORT/ works (skipped: curl absent)',
    async () => {
      const body = await new Promise<string>((resolve, reject) => {
        execFile(
          CURL,
          ['-sS', '--cacert', paths.ca, `https://localhost:${port}/`],
          (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(stderr))),
        );
      });
      expect(body).toBe('TLSv1.3 authorized=false');
    },
  );
});

describe('mTLS', () => {
  let clientCa: CertificateSet;
  let required: { server: Server; port: number };
  let optional: { server: Server; port: number };
  beforeAll(async () => {
    clientCa = await generateCertificateSet();
    const clientCaFile = await tmp.file('client-ca.pem', clientCa.rootCert);
    const base = {
      mode: 'static',
      certFile: paths.server,
      keyFile: paths.serverKey,
      clientCaFile,
    } as const;
    required = await listen(await loadTlsMaterial({ ...base, clientAuth: 'required' }));
    optional = await listen(await loadTlsMaterial({ ...base, clientAuth: 'optional' }));
  });
  afterAll(async () => {
    await close(required.server);
    await close(optional.server);
  });

  const clientFrom = (ca: CertificateSet) =>
    issueClientCertificate({
      issuerCert: ca.intermediateCert,
      issuerKey: ca.intermediateKey,
      commonName: 'svc',
    });

  it('refuses a client without a certificate when required', async () => {
    expect(await get(required.port, clientTlsOptions({ ca: set.rootCert }))).toMatch(
      /^error (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED|ECONNRESET)/,
    );
  });

  it('accepts a certificate from clientCa and refuses one from another CA', async () => {
    const good = await clientFrom(clientCa);
    const goodOptions = clientTlsOptions({ ca: set.rootCert, cert: good.chain, key: good.key });
    expect(await get(required.port, goodOptions)).toBe('TLSv1.3 authorized=true');
    const bad = await clientFrom(await generateCertificateSet());
    const badOptions = clientTlsOptions({ ca: set.rootCert, cert: bad.chain, key: bad.key });
    expect(await get(required.port, badOptions)).toMatch(
      /^error (ERR_SSL_TLSV1_ALERT_UNKNOWN_CA|ECONNRESET)/,
    );
  });

  it('lets the app see socket.authorized when optional', async () => {
    const good = await clientFrom(clientCa);
    expect(await get(optional.port, clientTlsOptions({ ca: set.rootCert }))).toBe(
      'TLSv1.3 authorized=false',
    );
    const options = clientTlsOptions({ ca: set.rootCert, cert: good.chain, key: good.key });
    expect(await get(optional.port, options)).toBe('TLSv1.3 authorized=true');
  });
});

describe('auto mode listener', () => {
  it('serves a chain that a client trusting ca.pem verifies', async () => {
    const material = await loadTlsMaterial({ mode: 'auto', dir: `${tmp.path}/auto` });
    const { server, port } = await listen(material);
    try {
      expect(await get(port, clientTlsOptions({ ca: material.ca, servername: 'localhost' }))).toBe(
        'TLSv1.3 authorized=false',
      );
      const socket = connect({ ...clientTlsOptions({ ca: material.ca }), host: '127.0.0.1', port });
      await new Promise<void>((resolve) => socket.once('secureConnect', resolve));
      expect(socket.getPeerCertificate(true).issuerCertificate.subject.CN).toBe(
        'cryptoutil auto intermediate CA',
      );
      socket.destroy();
    } finally {
      await close(server);
    }
  });
});
