// A CA started with its barrier sealed (`barrier.mode: shares`, ARCHITECTURE §4): nothing can be
// made or signed until operators post enough shares. Meanwhile readyz fails, enrollment and CRLs
// answer 503 barrier-sealed and OCSP tryLater; once unsealed, the hierarchy is made on first use
// and the CA issues and answers as usual.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plain, startCa, type CaHarness } from './support/ca-harness.js';
import { openssl, opensslAsync } from './support/openssl.js';

let ca: CaHarness;
beforeAll(async () => {
  ca = await startCa({ barrier: { mode: 'shares' } });
});
afterAll(() => ca.close());

const admin = (method: string, path: string, json?: unknown) =>
  ca.call(method, `/admin/v1${path}`, json === undefined ? {} : { json });

function csr(name: string): string {
  openssl(
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-subj',
      `/CN=${name}.example`,
      '-addext',
      `subjectAltName=DNS:${name}.example`,
      '-out',
      `${name}.csr`,
    ],
    ca.dir,
  );
  return readFileSync(join(ca.dir, `${name}.csr`), 'utf8');
}

describe('a CA that starts sealed', () => {
  it('refuses work until unsealed: readyz, enroll, CRLs and OCSP', async () => {
    const ready = await admin('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.json()).toMatchObject({ checks: { barrier: 'sealed' } });
    const enroll = await ca.call('POST', '/enroll', {
      json: { csr: csr('early'), profile: 'tls-server' },
    });
    expect(enroll.status).toBe(503);
    expect(enroll.json()).toMatchObject({ type: 'urn:cryptoutil:problem:barrier-sealed' });
    const crl = await plain(ca.plainPort, 'GET', '/.well-known/pki-ca/crl/issuing.crl');
    expect(crl.status).toBe(503);
    // An OCSP request for a CA the instance cannot read yet: tryLater, not unauthorized.
    openssl(
      ['req', '-x509', '-key', 'early.key', '-subj', '/CN=Some CA', '-out', 'some-ca.pem'],
      ca.dir,
    );
    openssl(
      ['ocsp', '-issuer', 'some-ca.pem', '-serial', '0x1234', '-no_nonce', '-reqout', 'early.req'],
      ca.dir,
    );
    const ocsp = await plain(
      ca.plainPort,
      'POST',
      '/.well-known/pki-ca/ocsp',
      readFileSync(join(ca.dir, 'early.req')),
      'application/ocsp-request',
    );
    expect(ocsp.status).toBe(200);
    expect([...ocsp.body]).toEqual([0x30, 0x03, 0x0a, 0x01, 0x03]); // tryLater (RFC 6960 §4.2.1)
    expect((await ca.call('GET', '/certificates')).json()).toEqual({ items: [] });
  });

  it('makes the hierarchy and issues once operators post enough shares', async () => {
    const init = await admin('POST', '/barrier/init', { shares: 3, threshold: 2 });
    expect(init.status).toBe(201);
    const { shares } = init.json<{ shares: string[] }>();
    await admin('POST', '/barrier/unseal', { share: shares[0] });
    expect((await admin('POST', '/barrier/unseal', { share: shares[2] })).json()).toMatchObject({
      sealed: false,
    });
    const enroll = await ca.call('POST', '/enroll', {
      json: { csr: csr('late'), profile: 'tls-server' },
    });
    expect(enroll.status, enroll.text).toBe(201);
    expect((await admin('GET', '/readyz')).status).toBe(200);
    const chain = (await ca.call('GET', '/cas/issuing/chain?format=pem')).text.split(
      /(?<=-----END CERTIFICATE-----\n)/,
    );
    writeFileSync(join(ca.dir, 'issuing.pem'), chain[0] ?? '');
    writeFileSync(join(ca.dir, 'root.pem'), chain[1] ?? '');
    writeFileSync(
      join(ca.dir, 'late.pem'),
      enroll.json<{ certificatePem: string }>().certificatePem,
    );
    expect(
      openssl(['verify', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', 'late.pem'], ca.dir)
        .output,
    ).toBe('late.pem: OK\n');
    const ocsp = await opensslAsync(
      [
        'ocsp',
        '-issuer',
        'issuing.pem',
        '-cert',
        'late.pem',
        '-CAfile',
        'root.pem',
        '-url',
        `${ca.baseUrl}/.well-known/pki-ca/ocsp`,
      ],
      ca.dir,
    );
    expect(ocsp.output).toContain('Response verify OK');
    expect(ocsp.stdout).toContain('late.pem: good');
  });
});
