// Issue 5 "How it is judged", as a new user would do it with openssl against the running CA:
// enroll a tls-server CSR made by openssl, serve TLS with the certificate (`openssl s_server`)
// and connect with `openssl s_client -verify_return_error -CAfile root.pem`; `openssl ocsp`
// against the plain-HTTP responder says good; revoke; `openssl ocsp` says revoked; `openssl
// verify -crl_check` fails with the CRL downloaded from the certificate's own CRLDP URL.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@cryptoutil/server/testing';
import { plain, startCa, type CaHarness } from './support/ca-harness.js';
import { openssl, opensslAsync } from './support/openssl.js';

let ca: CaHarness;
beforeAll(async () => {
  ca = await startCa();
});
afterAll(() => ca.close());

const file = (name: string) => join(ca.dir, name);

interface Enrolled {
  id: string;
  status: string;
  serial: string;
  certificatePem: string;
  crlUrl: string;
}

describe('a tls-server certificate from openssl CSR to revocation', () => {
  let enrolled: Enrolled;

  it('enrolls a CSR made by openssl and builds the chain openssl verifies', async () => {
    const req = openssl(
      [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'leaf.key',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-out',
        'leaf.csr',
      ],
      ca.dir,
    );
    expect(req.status).toBe(0);
    const res = await ca.call('POST', '/enroll', {
      json: { csr: readFileSync(file('leaf.csr'), 'utf8'), profile: 'tls-server' },
    });
    expect(res.status).toBe(201);
    enrolled = res.json<Enrolled>();
    expect(enrolled.status).toBe('issued');
    writeFileSync(file('leaf.pem'), enrolled.certificatePem);
    const chain = await ca.call('GET', '/cas/issuing/chain?format=pem');
    expect(chain.status).toBe(200);
    expect(chain.headers['content-type']).toBe('application/pem-certificate-chain');
    const [issuing, root] = chain.text.split(/(?<=-----END CERTIFICATE-----\n)/);
    writeFileSync(file('issuing.pem'), issuing ?? '');
    writeFileSync(file('root.pem'), root ?? '');
    const verify = openssl(
      ['verify', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', 'leaf.pem'],
      ca.dir,
    );
    expect(verify.output).toBe('leaf.pem: OK\n');
    const text = openssl(['x509', '-in', 'leaf.pem', '-noout', '-text'], ca.dir).stdout;
    expect(text).toContain('DNS:localhost, IP Address:127.0.0.1');
    expect(text).toContain('TLS Web Server Authentication');
    expect(text).toContain(`OCSP - URI:${ca.baseUrl}/.well-known/pki-ca/ocsp`);
    expect(text).toContain(`CA Issuers - URI:${ca.baseUrl}/.well-known/pki-ca/certs/issuing.crt`);
    expect(text).toContain(`URI:${enrolled.crlUrl}`);
  });

  it('serves TLS with it: s_client verifies the chain against root.pem', async () => {
    const port = await freePort();
    const server = spawn(
      'openssl',
      [
        's_server',
        '-accept',
        `127.0.0.1:${port}`,
        '-cert',
        'leaf.pem',
        '-key',
        'leaf.key',
        '-cert_chain',
        'issuing.pem',
        '-naccept',
        '1',
        '-quiet',
      ],
      { cwd: ca.dir, stdio: 'ignore' },
    );
    try {
      await waitFor(() => {
        const probe = openssl(
          [
            's_client',
            '-connect',
            `127.0.0.1:${port}`,
            '-servername',
            'localhost',
            '-verify_return_error',
            '-verify_hostname',
            'localhost',
            '-CAfile',
            'root.pem',
            '-brief',
          ],
          ca.dir,
          '',
        );
        if (probe.output.includes('connect:errno')) throw new Error('not listening yet');
        return probe;
      }).then((client) => {
        expect(client.status).toBe(0);
        expect(client.output).toContain('Verification: OK');
        expect(client.output).toContain('Verified peername: localhost');
      });
    } finally {
      server.kill();
    }
  });

  const ocsp = () =>
    opensslAsync(
      [
        'ocsp',
        '-issuer',
        'issuing.pem',
        '-cert',
        'leaf.pem',
        '-CAfile',
        'root.pem',
        '-url',
        `${ca.baseUrl}/.well-known/pki-ca/ocsp`,
      ],
      ca.dir,
    );

  it('openssl ocsp says good before revocation', async () => {
    const result = await ocsp();
    expect(result.output).toContain('Response verify OK');
    expect(result.stdout).toContain('leaf.pem: good');
  });

  it('revokes it: openssl ocsp says revoked, and the CRL of its CRLDP fails verify -crl_check', async () => {
    const res = await ca.call('POST', `/certificates/${enrolled.id}/revoke`, {
      json: { reason: 'keyCompromise' },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
    const result = await ocsp();
    expect(result.output).toContain('Response verify OK');
    expect(result.stdout).toContain('leaf.pem: revoked');
    expect(result.stdout).toContain('Reason: keyCompromise');

    const crl = await plain(ca.plainPort, 'GET', new URL(enrolled.crlUrl).pathname);
    expect(crl.status).toBe(200);
    expect(crl.headers['content-type']).toBe('application/pkix-crl');
    writeFileSync(file('crl.der'), crl.body);
    expect(
      openssl(['crl', '-inform', 'DER', '-in', 'crl.der', '-out', 'crl.pem'], ca.dir).status,
    ).toBe(0);
    const verify = openssl(
      [
        'verify',
        '-crl_check',
        '-CAfile',
        'root.pem',
        '-untrusted',
        'issuing.pem',
        '-CRLfile',
        'crl.pem',
        'leaf.pem',
      ],
      ca.dir,
    );
    expect(verify.status).not.toBe(0);
    expect(verify.output).toContain('certificate revoked');
  });
});
