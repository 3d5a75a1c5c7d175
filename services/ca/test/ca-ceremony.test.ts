// Issue 5's offline-root ceremony end to end: `ca init` (an offline root, an intermediate key and
// CSR) and `ca sign-csr` (the root signs it) in-process, then the CA imports the root without its
// key and the intermediate with its key through the config `ca init` prints, enrolls a CSR made by
// openssl, and openssl verifies the leaf up to the ceremony's root. The root is listed offline.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@cryptoutil/server/testing';
import { ceremonyHierarchy, createCeremony, signCaCsr } from '../src/index.js';
import { fromPem } from '../src/crypto/pem.js';
import { plain, startCa, type CaHarness } from './support/ca-harness.js';
import { openssl } from './support/openssl.js';

const ROOT_SUBJECT = 'CN=Ceremony Root CA, O=Example';
const INTERMEDIATE_SUBJECT = 'CN=Ceremony Issuing CA, O=Example';

let dir: string;
let plainPort: number;
let ca: CaHarness;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cu-ca-ceremony-'));
  plainPort = await freePort();
  // ca init
  const init = await createCeremony({
    rootSubject: ROOT_SUBJECT,
    intermediateSubject: INTERMEDIATE_SUBJECT,
    key: 'ec-p384',
    validityDays: 7300,
  });
  writeFileSync(file('root.pem'), init.rootCertificatePem);
  writeFileSync(file('root-key.pem'), init.rootKeyPem, { mode: 0o600 });
  writeFileSync(file('intermediate-key.pem'), init.intermediateKeyPem, { mode: 0o600 });
  writeFileSync(file('intermediate.csr'), init.intermediateCsrPem);
  // ca sign-csr, on the "offline machine"
  const signed = await signCaCsr({
    caCertificatePem: readFileSync(file('root.pem'), 'utf8'),
    caKeyPem: readFileSync(file('root-key.pem'), 'utf8'),
    csr: readFileSync(file('intermediate.csr')),
    validityDays: 1825,
    pathLength: 0,
    baseUrl: `http://127.0.0.1:${plainPort}`,
  });
  writeFileSync(file('intermediate.pem'), signed.certificatePem);
  rmSync(file('root-key.pem')); // the root key leaves with the operator
  ca = await startCa({
    ca: {
      hierarchy: ceremonyHierarchy({
        rootSubject: ROOT_SUBJECT,
        intermediateSubject: INTERMEDIATE_SUBJECT,
        rootCertificateFile: file('root.pem'),
        intermediateCertificateFile: file('intermediate.pem'),
        intermediateKeyFile: file('intermediate-key.pem'),
      }),
      revocation: { port: plainPort },
    },
  });
});

afterAll(async () => {
  await ca.close();
  rmSync(dir, { recursive: true, force: true });
});

interface CaJson {
  id: string;
  parent?: string;
  issuing: boolean;
  online: boolean;
  subject: string;
  certificatePem: string;
  crlUrl?: string;
}

describe('the offline-root ceremony, imported by the CA', () => {
  it('lists the root offline and the intermediate online, as the ceremony made them', async () => {
    const res = await ca.call('GET', '/cas');
    expect(res.status).toBe(200);
    const items = res.json<{ items: CaJson[] }>().items;
    expect(
      items.map(({ id, parent, issuing, online, subject }) => ({
        id,
        parent,
        issuing,
        online,
        subject,
      })),
    ).toEqual([
      {
        id: 'root',
        parent: undefined,
        issuing: false,
        online: false,
        subject: 'CN=Ceremony Root CA,O=Example',
      },
      {
        id: 'issuing',
        parent: 'root',
        issuing: true,
        online: true,
        subject: 'CN=Ceremony Issuing CA,O=Example',
      },
    ]);
    expect(items[0]?.certificatePem).toBe(readFileSync(file('root.pem'), 'utf8'));
    expect(items[1]?.certificatePem).toBe(readFileSync(file('intermediate.pem'), 'utf8'));
    expect(items[0]?.crlUrl).toBeUndefined();
  });

  it('enrolls an openssl CSR that openssl verifies up to the ceremony root', async () => {
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
        '/CN=svc.example.test',
        '-addext',
        'subjectAltName=DNS:svc.example.test',
        '-out',
        'leaf.csr',
      ],
      ca.dir,
    );
    expect(req.status).toBe(0);
    const res = await ca.call('POST', '/enroll', {
      json: { csr: readFileSync(join(ca.dir, 'leaf.csr'), 'utf8'), profile: 'tls-server' },
    });
    expect(res.status).toBe(201);
    const enrolled = res.json<{ status: string; certificatePem: string }>();
    expect(enrolled.status).toBe('issued');
    writeFileSync(file('leaf.pem'), enrolled.certificatePem);
    const verify = openssl(
      ['verify', '-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', 'leaf.pem'],
      dir,
    );
    expect(verify.output).toBe('leaf.pem: OK\n');
    // Without the intermediate the leaf does not chain: it really is the ceremony's intermediate
    // that signed it, not a CA the server generated.
    const alone = openssl(['verify', '-CAfile', 'root.pem', 'leaf.pem'], dir);
    expect(alone.status).toBe(2);
    expect(alone.output).toContain('unable to get local issuer certificate');
    const issuer = openssl(['x509', '-in', 'leaf.pem', '-noout', '-issuer'], dir).stdout;
    expect(issuer).toBe('issuer=O = Example, CN = Ceremony Issuing CA\n');
  });

  it("serves the root at the intermediate's AIA caIssuers URL", async () => {
    const text = openssl(['x509', '-in', 'intermediate.pem', '-noout', '-text'], dir).stdout;
    const url = /CA Issuers - URI:(\S+)/.exec(text)?.[1] ?? '';
    expect(url).toBe(`http://127.0.0.1:${plainPort}/.well-known/pki-ca/certs/root.crt`);
    const res = await plain(plainPort, 'GET', new URL(url).pathname);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pkix-cert');
    expect(new Uint8Array(res.body)).toEqual(
      fromPem(readFileSync(file('root.pem'), 'utf8'), 'CERTIFICATE'),
    );
  });
});
