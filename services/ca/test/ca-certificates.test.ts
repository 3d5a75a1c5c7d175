// The certificates and the hierarchy as a client reads them through the running CA: the list
// with each filter (profile, status, subject, SAN, issuer, serial in openssl's colon form,
// expiry) and its pages; tenant isolation; one certificate as JSON, PEM and DER (by `?format=`
// and by Accept, RFC 8555 §7.4.2 and RFC 2585 media types) and its chain, which openssl verifies;
// `cas`, `cas/{id}`, `cas/{id}/chain` and `profiles`; and the scopes (ca:read cannot enroll or
// revoke; no key is a 401).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCa, type CaHarness } from './support/ca-harness.js';
import type { CertificateJson, PageJson } from './support/ca-json.js';
import { splitPem, writeChainFiles } from './support/chain-files.js';
import { expectProblem } from './support/expect-problem.js';
import { makeCsr, type CsrOptions } from './support/make-csr.js';
import { openssl } from './support/openssl.js';

const DAY_MS = 86_400_000;
const EC = { kty: 'EC', curve: 'P-256' } as const;

let ca: CaHarness;
const certs: Record<string, CertificateJson> = {};

async function enroll(
  name: string,
  profile: string,
  csr: Omit<CsrOptions, 'key'>,
  extra: Record<string, unknown> = {},
  as = 'alice',
): Promise<CertificateJson> {
  const made = makeCsr(ca.dir, name, { key: EC, ...csr });
  const res = await ca.call('POST', '/enroll', { as, json: { csr: made.pem, profile, ...extra } });
  expect([201, 202]).toContain(res.status);
  const body = res.json<CertificateJson>();
  certs[name] = body;
  return body;
}

const server = (host: string) => ({
  subject: `/CN=${host}`,
  extensions: [`subjectAltName=DNS:${host}`],
});

/** An admin of tenant-b: every scope, but another tenant. */
const BOB_ADMIN = {
  'bob-admin': { tenant: 'tenant-b', scopes: ['ca:read', 'ca:enroll', 'ca:revoke', 'ca:admin'] },
};

beforeAll(async () => {
  ca = await startCa({}, undefined, BOB_ADMIN);
  await writeChainFiles(ca);
  // Enrolled in this order (ids are UUIDv7: the list is newest first).
  await enroll('alpha', 'tls-server', server('alpha.example.test'));
  await enroll('beta', 'tls-server', server('beta.example.test'), { validityDays: 10 });
  await enroll('carol', 'tls-client', {
    subject: '/O=Example/CN=Carol',
    extensions: ['subjectAltName=email:carol@example.test'],
  });
  await enroll('workload', 'mtls-client', {
    subject: '/',
    extensions: ['subjectAltName=URI:spiffe://example.test/ns/prod/sa/web'],
  });
  await enroll('gamma', 'tls-server', server('gamma.example.test'), { validityDays: 45 });
  await enroll('responder', 'ocsp-responder', { subject: '/CN=Responder' });
  const revoked = await ca.call('POST', `/certificates/${certs.gamma?.id}/revoke`, {
    json: { reason: 'superseded' },
  });
  expect(revoked.status).toBe(200);
  await enroll('bobs', 'tls-server', server('bob.example.test'), {}, 'bob');
});
afterAll(() => ca.close());

const ids = (...names: string[]) => names.map((n) => certs[n]?.id);

async function list(query: string, as = 'alice'): Promise<PageJson<CertificateJson>> {
  const res = await ca.call('GET', `/certificates${query}`, { as });
  expect(res.status).toBe(200);
  return res.json<PageJson<CertificateJson>>();
}

async function listIds(query: string, as = 'alice'): Promise<(string | undefined)[]> {
  return (await list(query, as)).items.map((c) => c.id);
}

describe('GET certificates: filters', () => {
  it('lists the tenant’s certificates newest first, without a next page', async () => {
    const page = await list('');
    expect(page.items.map((c) => c.id)).toEqual(
      ids('responder', 'gamma', 'workload', 'carol', 'beta', 'alpha'),
    );
    expect(page.nextPageToken).toBeUndefined();
  });

  const at = (days: number) =>
    encodeURIComponent(new Date(Date.now() + days * DAY_MS).toISOString());

  it.each([
    ['profile=tls-server', () => ids('gamma', 'beta', 'alpha')],
    ['profile=mtls-client', () => ids('workload')],
    ['profile=no-such', () => []],
    ['status=issued', () => ids('workload', 'carol', 'beta', 'alpha')],
    ['status=revoked', () => ids('gamma')],
    ['status=pending', () => ids('responder')],
    ['status=rejected', () => []],
    ['subject=ALPHA.example', () => ids('alpha')],
    ['subject=o%3Dexample', () => ids('carol')],
    ['san=carol%40example', () => ids('carol')],
    ['san=spiffe%3A%2F%2F', () => ids('workload')],
    ['san=example.test', () => ids('gamma', 'workload', 'carol', 'beta', 'alpha')],
    ['issuer=issuing', () => ids('responder', 'gamma', 'workload', 'carol', 'beta', 'alpha')],
    ['issuer=root', () => []],
    [`expiresBefore=${at(20)}`, () => ids('beta')],
    [`expiresBefore=${at(60)}`, () => ids('gamma', 'workload', 'beta')],
    [`expiresAfter=${at(100)}`, () => ids('carol')],
    [`expiresAfter=${at(20)}&expiresBefore=${at(60)}`, () => ids('gamma', 'workload')],
    ['profile=tls-server&status=issued', () => ids('beta', 'alpha')],
  ])('?%s', async (query, expected) => {
    expect(await listIds(`?${query}`)).toEqual(expected());
  });

  it('?serial= in openssl’s colon form, upper case, finds the one certificate', async () => {
    const serial = certs.alpha?.serial ?? '';
    const colons = (serial.match(/../g) ?? []).join(':').toUpperCase();
    expect(colons).toMatch(/^([0-9A-F]{2}:){15}[0-9A-F]{2}$/);
    expect(await listIds(`?serial=${encodeURIComponent(colons)}`)).toEqual(ids('alpha'));
    expect(await listIds(`?serial=0x${serial}`)).toEqual(ids('alpha'));
    expect(await listIds('?serial=01')).toEqual([]);
  });

  it.each([
    ['serial=xyz', 400, 'invalid-ca-request', 'serial must be hexadecimal'],
    ['status=lost', 400, 'validation', undefined],
    ['expiresBefore=tomorrow', 400, 'validation', undefined],
    ['pageSize=0', 400, 'validation', undefined],
    ['pageSize=1001', 400, 'validation', undefined],
    ['color=red', 400, 'validation', undefined],
    ['pageToken=not-a-token', 400, 'invalid-ca-request', 'invalid page token'],
  ])('?%s is a %i %s problem', async (query, status, slug, detail) => {
    expectProblem(await ca.call('GET', `/certificates?${query}`), status, slug, detail);
  });
});

describe('GET certificates: pages', () => {
  it('pageSize 2 walks every certificate once through nextPageToken', async () => {
    const seen: string[] = [];
    let query = '?pageSize=2';
    const sizes: number[] = [];
    for (;;) {
      const page = await list(query);
      sizes.push(page.items.length);
      seen.push(...page.items.map((c) => c.id));
      if (page.nextPageToken === undefined) break;
      expect(page.nextPageToken).toMatch(/^[A-Za-z0-9_-]+$/);
      query = `?pageSize=2&pageToken=${encodeURIComponent(page.nextPageToken)}`;
    }
    expect(sizes).toEqual([2, 2, 2]);
    expect(seen).toEqual(ids('responder', 'gamma', 'workload', 'carol', 'beta', 'alpha'));
  });

  it('pages keep the filter', async () => {
    const first = await list('?profile=tls-server&pageSize=2');
    expect(first.items.map((c) => c.id)).toEqual(ids('gamma', 'beta'));
    const token = encodeURIComponent(first.nextPageToken ?? '');
    const second = await list(`?profile=tls-server&pageSize=2&pageToken=${token}`);
    expect(second.items.map((c) => c.id)).toEqual(ids('alpha'));
    expect(second.nextPageToken).toBeUndefined();
  });
});

describe('tenants', () => {
  it('bob (tenant-b) sees only his own certificate, and 404 for alice’s', async () => {
    expect(await listIds('', 'bob')).toEqual(ids('bobs'));
    const id = certs.alpha?.id ?? '';
    for (const path of [
      `/certificates/${id}`,
      `/certificates/${id}?format=pem`,
      `/certificates/${id}/chain`,
    ]) {
      expectProblem(
        await ca.call('GET', path, { as: 'bob' }),
        404,
        'not-found',
        `no certificate ${id}`,
      );
    }
    const revoke = await ca.call('POST', `/certificates/${id}/revoke`, {
      as: 'bob',
      json: { reason: 'keyCompromise' },
    });
    expectProblem(revoke, 404, 'not-found', `no certificate ${id}`);
    const still = await ca.call('GET', `/certificates/${id}`);
    expect(still.json<CertificateJson>().status).toBe('issued');
  });

  it('alice does not see bob’s certificate (404), nor by serial', async () => {
    const bobs = certs.bobs;
    expectProblem(await ca.call('GET', `/certificates/${bobs?.id}`), 404, 'not-found');
    expect(await listIds(`?serial=${bobs?.serial}`)).toEqual([]);
  });

  it('an admin of tenant-b can neither approve nor reject alice’s pending request (404)', async () => {
    const id = certs.responder?.id ?? '';
    for (const action of ['approve', 'reject']) {
      const res = await ca.call('POST', `/certificates/${id}/${action}`, { as: 'bob-admin' });
      expectProblem(res, 404, 'not-found', `no certificate ${id}`);
    }
    const still = await ca.call('GET', `/certificates/${id}`);
    expect(still.json<CertificateJson>().status).toBe('pending');
  });

  it('the audit log is per tenant: tenant-b’s admin sees bob’s enrollment only', async () => {
    const res = await ca.call('GET', '/audit', { as: 'bob-admin' });
    expect(res.status).toBe(200);
    const items = res.json<PageJson<{ subject: string; certificateId?: string }>>().items;
    expect(items.map((r) => [r.subject, r.certificateId])).toEqual([['bob', certs.bobs?.id]]);
  });

  it('an id that is not a UUID is a 400 validation problem', async () => {
    expectProblem(await ca.call('GET', '/certificates/not-a-uuid'), 400, 'validation');
  });
});

describe('GET certificates/{id}: JSON, PEM and DER', () => {
  const der = () =>
    Buffer.from((certs.alpha?.certificatePem ?? '').replace(/-----[^-]+-----|\s/g, ''), 'base64');

  it('JSON by default: the record with its PEM and CRL URL', async () => {
    const res = await ca.call('GET', `/certificates/${certs.alpha?.id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = res.json<CertificateJson>();
    expect(body).toEqual(certs.alpha);
    expect(body).toMatchObject({
      status: 'issued',
      profile: 'tls-server',
      issuer: 'issuing',
      subject: 'CN=alpha.example.test',
      sans: ['DNS:alpha.example.test'],
      requestedBy: 'alice',
    });
    expect(body.crlUrl).toMatch(
      new RegExp(`^${ca.baseUrl}/\\.well-known/pki-ca/crl/issuing/\\d+\\.crl$`),
    );
  });

  it.each([
    ['?format=pem', {}],
    ['', { accept: 'application/pem-certificate-chain' }],
  ])('PEM (%s %o): application/pem-certificate-chain', async (query, headers) => {
    const res = await ca.call('GET', `/certificates/${certs.alpha?.id}${query}`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pem-certificate-chain');
    expect(res.text).toBe(certs.alpha?.certificatePem);
  });

  it.each([
    ['?format=der', {}],
    ['', { accept: 'application/pkix-cert' }],
  ])('DER (%s %o): application/pkix-cert, which openssl reads', async (query, headers) => {
    const res = await ca.call('GET', `/certificates/${certs.alpha?.id}${query}`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pkix-cert');
    expect(res.body.equals(der())).toBe(true);
    writeFileSync(join(ca.dir, 'alpha.der'), res.body);
    const read = openssl(
      ['x509', '-inform', 'DER', '-in', 'alpha.der', '-noout', '-subject', '-serial'],
      ca.dir,
    );
    expect(read.stdout).toBe(
      `subject=CN = alpha.example.test\nserial=${(certs.alpha?.serial ?? '').toUpperCase()}\n`,
    );
  });

  it('?format=json wins over Accept; ?format=xml is a validation problem', async () => {
    const res = await ca.call('GET', `/certificates/${certs.alpha?.id}?format=json`, {
      headers: { accept: 'application/pkix-cert' },
    });
    expect(res.json<CertificateJson>().id).toBe(certs.alpha?.id);
    expectProblem(
      await ca.call('GET', `/certificates/${certs.alpha?.id}?format=xml`),
      400,
      'validation',
    );
  });
});

describe('GET certificates/{id}/chain', () => {
  it('PEM: leaf, issuing CA, root; openssl verifies the leaf with it', async () => {
    const res = await ca.call('GET', `/certificates/${certs.alpha?.id}/chain?format=pem`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pem-certificate-chain');
    const [leaf, issuing, root, ...rest] = splitPem(res.text);
    expect(rest).toEqual([]);
    expect(leaf).toBe(certs.alpha?.certificatePem);
    writeFileSync(join(ca.dir, 'alpha-chain.pem'), res.text);
    writeFileSync(join(ca.dir, 'alpha-leaf.pem'), leaf ?? '');
    writeFileSync(join(ca.dir, 'alpha-issuing.pem'), issuing ?? '');
    writeFileSync(join(ca.dir, 'alpha-root.pem'), root ?? '');
    const subjects = ['alpha-leaf.pem', 'alpha-issuing.pem', 'alpha-root.pem'].map(
      (file) => openssl(['x509', '-in', file, '-noout', '-subject', '-issuer'], ca.dir).stdout,
    );
    expect(subjects).toEqual([
      'subject=CN = alpha.example.test\nissuer=CN = cryptoutil Issuing CA\n',
      'subject=CN = cryptoutil Issuing CA\nissuer=CN = cryptoutil Root CA\n',
      'subject=CN = cryptoutil Root CA\nissuer=CN = cryptoutil Root CA\n',
    ]);
    const verify = openssl(
      ['verify', '-CAfile', 'alpha-root.pem', '-untrusted', 'alpha-issuing.pem', 'alpha-leaf.pem'],
      ca.dir,
    );
    expect(verify.output).toBe('alpha-leaf.pem: OK\n');
  });

  it('JSON: the same three certificates; DER is refused (400)', async () => {
    const pem = await ca.call('GET', `/certificates/${certs.alpha?.id}/chain`, {
      headers: { accept: 'application/pem-certificate-chain' },
    });
    const res = await ca.call('GET', `/certificates/${certs.alpha?.id}/chain`);
    expect(res.status).toBe(200);
    const body = res.json<{ certificatesPem: string[] }>();
    expect(body.certificatesPem).toHaveLength(3);
    expect(body.certificatesPem).toEqual(splitPem(pem.text));
    expectProblem(
      await ca.call('GET', `/certificates/${certs.alpha?.id}/chain?format=der`),
      400,
      'invalid-ca-request',
      'a chain has no DER form; ask for pem or json',
    );
  });
});

interface CaJson {
  id: string;
  parent?: string;
  issuing: boolean;
  online: boolean;
  subject: string;
  issuer: string;
  serial: string;
  pathLength?: number;
  certificatePem: string;
  crlUrl?: string;
}

describe('GET cas, cas/{id}, cas/{id}/chain', () => {
  it('lists the root and the issuing CA', async () => {
    const res = await ca.call('GET', '/cas');
    expect(res.status).toBe(200);
    const items = res.json<{ items: CaJson[] }>().items;
    expect(items.map((a) => a.id)).toEqual(['root', 'issuing']);
    expect(items[0]).toMatchObject({
      id: 'root',
      issuing: false,
      online: true,
      subject: 'CN=cryptoutil Root CA',
      issuer: 'CN=cryptoutil Root CA',
      crlUrl: `${ca.baseUrl}/.well-known/pki-ca/crl/root.crl`,
    });
    expect(items[0]?.parent).toBeUndefined();
    expect(items[1]).toMatchObject({
      id: 'issuing',
      parent: 'root',
      issuing: true,
      online: true,
      subject: 'CN=cryptoutil Issuing CA',
      issuer: 'CN=cryptoutil Root CA',
      pathLength: 0,
      crlUrl: `${ca.baseUrl}/.well-known/pki-ca/crl/issuing.crl`,
    });
  });

  it.each(['root', 'issuing'])('cas/%s as JSON, PEM and DER agree', async (id) => {
    const json = (await ca.call('GET', `/cas/${id}`)).json<CaJson>();
    expect(json.id).toBe(id);
    const pem = await ca.call('GET', `/cas/${id}?format=pem`);
    expect(pem.headers['content-type']).toBe('application/pem-certificate-chain');
    expect(pem.text).toBe(json.certificatePem);
    const der = await ca.call('GET', `/cas/${id}`, {
      headers: { accept: 'application/pkix-cert' },
    });
    expect(der.headers['content-type']).toBe('application/pkix-cert');
    expect(der.body.toString('base64')).toBe(
      json.certificatePem.replace(/-----[^-]+-----|\s/g, ''),
    );
    writeFileSync(join(ca.dir, `${id}-ca.pem`), pem.text);
    const serial = openssl(['x509', '-in', `${id}-ca.pem`, '-noout', '-serial'], ca.dir).stdout;
    expect(serial).toBe(`serial=${json.serial.toUpperCase()}\n`);
  });

  it('cas/root/chain is the root alone; cas/issuing/chain is issuing then root, which openssl verifies', async () => {
    const root = (await ca.call('GET', '/cas/root/chain')).json<{ certificatesPem: string[] }>();
    expect(root.certificatesPem).toHaveLength(1);
    const issuing = await ca.call('GET', '/cas/issuing/chain', {
      headers: { accept: 'application/pem-certificate-chain' },
    });
    const [first, second] = splitPem(issuing.text);
    expect(second).toBe(root.certificatesPem[0]);
    writeFileSync(join(ca.dir, 'cas-issuing.pem'), first ?? '');
    writeFileSync(join(ca.dir, 'cas-root.pem'), second ?? '');
    const verify = openssl(['verify', '-CAfile', 'cas-root.pem', 'cas-issuing.pem'], ca.dir);
    expect(verify.output).toBe('cas-issuing.pem: OK\n');
    expectProblem(await ca.call('GET', '/cas/issuing/chain?format=der'), 400, 'invalid-ca-request');
  });

  it.each([
    ['/cas/nope', 404, 'not-found', 'no CA nope'],
    ['/cas/nope/chain', 404, 'not-found', 'no CA nope'],
    ['/cas/Not_An_Id', 400, 'validation', undefined],
  ])('%s is a %i %s problem', async (path, status, slug, detail) => {
    expectProblem(await ca.call('GET', path), status, slug, detail);
  });
});

describe('GET profiles', () => {
  it('lists the 10 shipped profiles', async () => {
    const res = await ca.call('GET', '/profiles');
    expect(res.status).toBe(200);
    const items = res.json<{ items: { id: string }[] }>().items;
    expect(items.map((p) => p.id).sort()).toEqual([
      'code-signing',
      'device',
      'intermediate-ca',
      'mtls-client',
      'ocsp-responder',
      'smime-encryption',
      'smime-signing',
      'timestamp',
      'tls-client',
      'tls-server',
    ]);
  });

  it('profiles/tls-server as its YAML file defines it; an unknown one is 404', async () => {
    const res = await ca.call('GET', '/profiles/tls-server');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      id: 'tls-server',
      kind: 'leaf',
      approval: 'none',
      keys: { ec: ['P-256', 'P-384'], rsa: { minBits: 2048, maxBits: 4096 }, ed25519: false },
      validity: { defaultDays: 90, maxDays: 200 },
      san: { dns: true, ip: true, email: false, uri: false, minimum: 1, wildcards: true },
      keyUsage: {
        ec: ['digitalSignature'],
        rsa: ['digitalSignature', 'keyEncipherment'],
        critical: true,
      },
      extendedKeyUsage: { usages: ['serverAuth'], critical: false },
      basicConstraints: { ca: false },
      ocspNoCheck: false,
    });
    expectProblem(await ca.call('GET', '/profiles/nope'), 404, 'not-found', 'no profile nope');
  });
});

describe('scopes and credentials', () => {
  it('reader (ca:read only) reads, but cannot enroll, revoke, approve or read the audit (403)', async () => {
    expect(await listIds('', 'reader')).toEqual(await listIds(''));
    const made = makeCsr(ca.dir, 'reader', { key: EC, ...server('reader.example.test') });
    const before = await listIds('');
    const refused = [
      await ca.call('POST', '/enroll', {
        as: 'reader',
        json: { csr: made.pem, profile: 'tls-server' },
      }),
      await ca.call('POST', `/certificates/${certs.alpha?.id}/revoke`, {
        as: 'reader',
        json: { reason: 'keyCompromise' },
      }),
      await ca.call('POST', `/certificates/${certs.responder?.id}/approve`, { as: 'reader' }),
      await ca.call('GET', '/audit', { as: 'reader' }),
    ];
    for (const res of refused) expectProblem(res, 403, 'insufficient-scope');
    expect(await listIds('')).toEqual(before);
    expect(
      (await ca.call('GET', `/certificates/${certs.alpha?.id}`)).json<CertificateJson>().status,
    ).toBe('issued');
  });

  it.each([
    ['GET', '/certificates'],
    ['GET', '/cas'],
    ['GET', '/profiles'],
    ['POST', '/enroll'],
  ])('%s %s without a key is 401 unauthenticated', async (method, path) => {
    const res = await ca.call(method, path, {
      as: 'nobody',
      ...(method === 'POST' ? { json: { csr: 'x', profile: 'tls-server' } } : {}),
    });
    expectProblem(res, 401, 'unauthenticated');
  });

  it('a malformed key, and alice’s key with its secret changed, are 401 invalid-token', async () => {
    const malformed = await ca.call('GET', '/certificates', { as: 'cu_not-a-real-key' });
    expectProblem(malformed, 401, 'invalid-token', 'malformed API key');
    const key = ca.keys.alice ?? '';
    const forged = `${key.slice(0, -4)}${key.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const res = await ca.call('GET', '/certificates', { as: forged });
    expectProblem(res, 401, 'invalid-token');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
  });
});
