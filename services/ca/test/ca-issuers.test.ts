// Several issuing CAs in one instance (issue 5): an RSA-3072 root with an EC P-384 issuing CA
// and an RSA-3072 one under it. `enroll` picks the configured default or the one named; each
// certificate chains to its own issuer (openssl verify), the one OCSP URL answers for both by
// the CertID's issuer hashes, each issuer has its own CRLs, and a revocation under one leaves the
// other's CRL alone.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plain, startCa, type CaHarness } from './support/ca-harness.js';
import { splitPem } from './support/chain-files.js';
import { makeCsr } from './support/make-csr.js';
import { openssl, opensslAsync } from './support/openssl.js';

let ca: CaHarness;
beforeAll(async () => {
  ca = await startCa({
    ca: {
      hierarchy: [
        { id: 'root', subject: 'CN=Multi Root, O=Example', key: { kty: 'RSA', bits: 3072 } },
        {
          id: 'ec-issuing',
          parent: 'root',
          subject: 'CN=Multi EC Issuing, O=Example',
          key: { kty: 'EC', curve: 'P-384' },
          issuing: true,
        },
        {
          id: 'rsa-issuing',
          parent: 'root',
          subject: 'CN=Multi RSA Issuing, O=Example',
          key: { kty: 'RSA', bits: 3072 },
          issuing: true,
        },
      ],
      defaultIssuer: 'rsa-issuing',
    },
  });
});
afterAll(() => ca.close());

interface Issued {
  id: string;
  issuer: string;
  certificatePem: string;
  crlUrl: string;
}

async function enroll(name: string, issuer?: string): Promise<Issued> {
  const csr = makeCsr(ca.dir, name, {
    key: { kty: 'EC', curve: 'P-256' },
    subject: `/CN=${name}.example`,
    extensions: [`subjectAltName=DNS:${name}.example`],
  });
  const res = await ca.call('POST', '/enroll', {
    json: { csr: csr.pem, profile: 'tls-server', ...(issuer === undefined ? {} : { issuer }) },
  });
  expect(res.status, res.text).toBe(201);
  const issued = res.json<Issued>();
  writeFileSync(join(ca.dir, `${name}.pem`), issued.certificatePem);
  return issued;
}

async function chainFiles(issuer: string): Promise<void> {
  const [issuing, root] = splitPem((await ca.call('GET', `/cas/${issuer}/chain?format=pem`)).text);
  writeFileSync(join(ca.dir, `${issuer}.pem`), issuing ?? '');
  writeFileSync(join(ca.dir, 'root.pem'), root ?? '');
}

const ocsp = (name: string, issuer: string) =>
  opensslAsync(
    [
      'ocsp',
      '-issuer',
      `${issuer}.pem`,
      '-cert',
      `${name}.pem`,
      '-CAfile',
      'root.pem',
      '-no_nonce',
      '-url',
      `${ca.baseUrl}/.well-known/pki-ca/ocsp`,
    ],
    ca.dir,
  );

describe('two issuing CAs under one root', () => {
  it('lists both as issuing and online, each with its own CRL', async () => {
    const items = (await ca.call('GET', '/cas')).json<{
      items: { id: string; issuing: boolean; online: boolean; crlUrl?: string }[];
    }>().items;
    expect(items.map(({ id, issuing, online }) => ({ id, issuing, online }))).toEqual([
      { id: 'root', issuing: false, online: true },
      { id: 'ec-issuing', issuing: true, online: true },
      { id: 'rsa-issuing', issuing: true, online: true },
    ]);
    expect(items.map((a) => a.crlUrl)).toEqual(
      ['root', 'ec-issuing', 'rsa-issuing'].map(
        (id) => `${ca.baseUrl}/.well-known/pki-ca/crl/${id}.crl`,
      ),
    );
    await chainFiles('ec-issuing');
    await chainFiles('rsa-issuing');
  });

  it('issues through the default or the named one; each chains to its own issuer', async () => {
    const byDefault = await enroll('default');
    const byName = await enroll('named', 'ec-issuing');
    expect([byDefault.issuer, byName.issuer]).toEqual(['rsa-issuing', 'ec-issuing']);
    const verify = (name: string, issuer: string) =>
      openssl(
        ['verify', '-CAfile', 'root.pem', '-untrusted', `${issuer}.pem`, `${name}.pem`],
        ca.dir,
      ).output;
    expect(verify('default', 'rsa-issuing')).toBe('default.pem: OK\n');
    expect(verify('named', 'ec-issuing')).toBe('named.pem: OK\n');
    expect(verify('named', 'rsa-issuing')).toContain('unable to get local issuer certificate');
    const text = (name: string) =>
      openssl(['x509', '-in', `${name}.pem`, '-noout', '-text'], ca.dir).stdout;
    expect(text('default')).toContain('Signature Algorithm: sha256WithRSAEncryption');
    expect(text('named')).toContain('Signature Algorithm: ecdsa-with-SHA384');
  });

  it('answers OCSP for both at one URL, and a revocation touches one issuer’s CRL only', async () => {
    const ec = await enroll('ec-leaf', 'ec-issuing');
    const rsa = await enroll('rsa-leaf', 'rsa-issuing');
    expect((await ocsp('ec-leaf', 'ec-issuing')).stdout).toContain('ec-leaf.pem: good');
    expect((await ocsp('rsa-leaf', 'rsa-issuing')).stdout).toContain('rsa-leaf.pem: good');
    const revoked = await ca.call('POST', `/certificates/${rsa.id}/revoke`, {
      json: { reason: 'superseded' },
    });
    expect(revoked.status).toBe(200);
    const rsaAnswer = await ocsp('rsa-leaf', 'rsa-issuing');
    expect(rsaAnswer.output).toContain('Response verify OK');
    expect(rsaAnswer.stdout).toContain('rsa-leaf.pem: revoked');
    expect((await ocsp('ec-leaf', 'ec-issuing')).stdout).toContain('ec-leaf.pem: good');

    const crlText = async (url: string, issuer: string) => {
      const crl = await plain(ca.plainPort, 'GET', new URL(url).pathname);
      expect(crl.status).toBe(200);
      writeFileSync(join(ca.dir, 'x.crl'), crl.body);
      return openssl(
        ['crl', '-inform', 'DER', '-in', 'x.crl', '-noout', '-text', '-CAfile', `${issuer}.pem`],
        ca.dir,
      ).output;
    };
    const serialOf = (pem: string) =>
      openssl(['x509', '-noout', '-serial'], ca.dir, pem).stdout.trim().replace('serial=', '');
    const rsaCrl = await crlText(
      `${ca.baseUrl}/.well-known/pki-ca/crl/rsa-issuing.crl`,
      'rsa-issuing',
    );
    expect(rsaCrl).toContain('verify OK');
    expect(rsaCrl).toContain(`Serial Number: ${serialOf(rsa.certificatePem)}`);
    const ecCrl = await crlText(
      `${ca.baseUrl}/.well-known/pki-ca/crl/ec-issuing.crl`,
      'ec-issuing',
    );
    expect(ecCrl).toContain('verify OK');
    expect(ecCrl).toContain('No Revoked Certificates.');
    expect(ec.crlUrl).toMatch(/\/crl\/ec-issuing\/\d+\.crl$/);
  });
});
