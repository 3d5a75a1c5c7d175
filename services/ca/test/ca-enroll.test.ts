// Issue 5 "Bad input" and the approval step, through the running CA: every malformed, unsigned,
// weak or out-of-profile enrollment is a clear problem (exact status, type URN and detail), never
// a 5xx; nothing is issued (the list is unchanged) and the audit log holds a failure record with
// the request id. Profiles with `approval: required` answer 202 pending; an admin (ca:admin)
// approves or rejects once; the audit log records each step and never a CSR or certificate.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCa, type CaHarness } from './support/ca-harness.js';
import {
  auditRecords,
  certificateIds,
  type AuditJson,
  type CertificateJson,
} from './support/ca-json.js';
import { expectProblem } from './support/expect-problem.js';
import { makeCsr, type CsrKey, type MadeCsr } from './support/make-csr.js';
import { readX509 } from './support/x509-text.js';

const DAY_S = 86_400;

let ca: CaHarness;
const csr: Record<string, MadeCsr> = {};

const P256: CsrKey = { kty: 'EC', curve: 'P-256' };

const serverCsr = (name: string, extensions: string[], key: CsrKey = P256) =>
  makeCsr(ca.dir, name, { key, subject: `/CN=${name}.example.test`, extensions });

beforeAll(async () => {
  ca = await startCa();
  csr.good = serverCsr('good', ['subjectAltName=DNS:good.example.test']);
  csr.rsa1024 = makeCsr(ca.dir, 'rsa1024', {
    key: { kty: 'RSA', bits: 1024 },
    subject: '/CN=weak.example.test',
    extensions: ['subjectAltName=DNS:weak.example.test'],
  });
  csr.k256 = serverCsr('k256', ['subjectAltName=DNS:k256.example.test'], {
    kty: 'EC',
    curve: 'secp256k1',
  });
  csr.ed25519 = makeCsr(ca.dir, 'ed', {
    key: { kty: 'ED25519' },
    subject: '/CN=ed.example.test',
    extensions: ['subjectAltName=DNS:ed.example.test'],
  });
  csr.ed448 = makeCsr(ca.dir, 'ed448', {
    key: { kty: 'ED448' },
    subject: '/CN=ed448.example.test',
    extensions: ['subjectAltName=DNS:ed448.example.test'],
  });
  csr.sha1 = makeCsr(ca.dir, 'sha1', {
    key: P256,
    subject: '/CN=sha1.example.test',
    extensions: ['subjectAltName=DNS:sha1.example.test'],
    digest: 'sha1',
  });
  csr.email = serverCsr('email', ['subjectAltName=DNS:email.example.test,email:a@example.test']);
  csr.wildcard = makeCsr(ca.dir, 'wildcard', {
    key: P256,
    subject: '/O=Example',
    extensions: ['subjectAltName=DNS:*.com'],
  });
  csr.noSan = makeCsr(ca.dir, 'nosan', { key: P256, subject: '/CN=x' });
  csr.caTrue = serverCsr('catrue', [
    'subjectAltName=DNS:catrue.example.test',
    'basicConstraints=critical,CA:TRUE',
  ]);
  csr.subCa = makeCsr(ca.dir, 'subca', {
    key: { kty: 'EC', curve: 'P-384' },
    subject: '/C=US/O=Example/CN=Sub CA',
  });
  for (const n of [1, 2, 3, 4]) {
    csr[`responder${n}`] = makeCsr(ca.dir, `responder${n}`, {
      key: P256,
      subject: `/O=Example/CN=OCSP responder ${n}`,
    });
  }
});
afterAll(() => ca.close());

/** The CSR's DER with one byte of its signature flipped: well-formed, but it does not verify. */
function flippedSignature(made: MadeCsr): string {
  const der = Buffer.from(made.der);
  der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}

interface BadCase {
  readonly name: string;
  readonly body: () => Record<string, unknown>;
  readonly status: number;
  readonly slug: string;
  readonly detail: string | RegExp;
  /** The CaError code the failure audit record names. */
  readonly code: string;
}

const tls =
  (made: () => MadeCsr, extra: Record<string, unknown> = {}) =>
  () => ({
    csr: made().pem,
    profile: 'tls-server',
    ...extra,
  });

const BAD: readonly BadCase[] = [
  {
    name: 'text that is neither PEM nor base64',
    body: () => ({ csr: 'this is not a CSR!', profile: 'tls-server' }),
    status: 400,
    slug: 'invalid-csr',
    detail: 'the CSR is neither DER nor PEM: no PEM CERTIFICATE REQUEST block found',
    code: 'invalid-csr',
  },
  {
    name: 'base64 of a truncated DER CSR',
    body: () => ({ csr: csr.good?.der.subarray(0, 60).toString('base64'), profile: 'tls-server' }),
    status: 400,
    slug: 'invalid-csr',
    detail: 'the CSR is not a well-formed PKCS#10 CertificationRequest',
    code: 'invalid-csr',
  },
  {
    name: 'a PEM block whose base64 is garbage',
    body: () => ({
      csr: '-----BEGIN CERTIFICATE REQUEST-----\n@@@ not base64 @@@\n-----END CERTIFICATE REQUEST-----\n',
      profile: 'tls-server',
    }),
    status: 400,
    slug: 'invalid-csr',
    detail: /^the CSR is neither DER nor PEM: /,
    code: 'invalid-csr',
  },
  {
    name: 'a CSR with one signature byte flipped',
    body: () => ({ csr: flippedSignature(csr.good as MadeCsr), profile: 'tls-server' }),
    status: 400,
    slug: 'invalid-csr',
    detail: 'the CSR signature does not verify (RFC 2986 §4.2)',
    code: 'invalid-csr',
  },
  {
    name: 'a CSR signed with ecdsa-with-SHA1',
    body: tls(() => csr.sha1 as MadeCsr),
    status: 400,
    slug: 'invalid-csr',
    detail: 'the CSR is signed with SHA-1, which is not allowed',
    code: 'invalid-csr',
  },
  {
    name: 'an Ed448 key (no profile allows it)',
    body: tls(() => csr.ed448 as MadeCsr),
    status: 400,
    slug: 'key-not-allowed',
    detail: 'key type ed448 is not allowed',
    code: 'key-not-allowed',
  },
  {
    name: 'an RSA-1024 key through tls-server',
    body: tls(() => csr.rsa1024 as MadeCsr),
    status: 400,
    slug: 'key-not-allowed',
    detail: 'profile tls-server: keys.rsa: RSA-1024 is under 2048 bits',
    code: 'key-not-allowed',
  },
  {
    name: 'an EC secp256k1 key through tls-server',
    body: tls(() => csr.k256 as MadeCsr),
    status: 400,
    slug: 'key-not-allowed',
    detail: 'EC curve secp256k1 is not allowed',
    code: 'key-not-allowed',
  },
  {
    name: 'an Ed25519 key through tls-server',
    body: tls(() => csr.ed25519 as MadeCsr),
    status: 400,
    slug: 'key-not-allowed',
    detail: 'profile tls-server: keys.ed25519: Ed25519 keys are not allowed',
    code: 'key-not-allowed',
  },
  {
    name: 'an email SAN through tls-server',
    body: tls(() => csr.email as MadeCsr),
    status: 400,
    slug: 'name-not-allowed',
    detail: 'profile tls-server: san.email: email names are not allowed (got "a@example.test")',
    code: 'name-not-allowed',
  },
  {
    name: 'a *.com wildcard',
    body: tls(() => csr.wildcard as MadeCsr),
    status: 400,
    slug: 'name-not-allowed',
    detail: 'profile tls-server: san.dns: "*.com" is a wildcard over a single label (e.g. *.tld)',
    code: 'name-not-allowed',
  },
  {
    name: 'no SAN through tls-server',
    body: tls(() => csr.noSan as MadeCsr),
    status: 400,
    slug: 'name-not-allowed',
    detail: 'profile tls-server: san.minimum: 0 SANs given, at least 1 required',
    code: 'name-not-allowed',
  },
  {
    name: 'basicConstraints CA:TRUE through tls-server',
    body: tls(() => csr.caTrue as MadeCsr),
    status: 400,
    slug: 'profile-violation',
    detail: 'profile tls-server: kind: a leaf profile does not issue CA certificates',
    code: 'profile-violation',
  },
  {
    name: 'validityDays 201 through tls-server',
    body: tls(() => csr.good as MadeCsr, { validityDays: 201 }),
    status: 400,
    slug: 'validity-not-allowed',
    detail: 'profile tls-server: validity.maxDays: 201 days exceeds the maximum of 200 days',
    code: 'validity-not-allowed',
  },
  {
    name: 'an unknown profile',
    body: () => ({ csr: csr.good?.pem, profile: 'no-such-profile' }),
    status: 404,
    slug: 'not-found',
    detail: 'no profile no-such-profile',
    code: 'not-found',
  },
  {
    name: 'an unknown issuer',
    body: tls(() => csr.good as MadeCsr, { issuer: 'no-such-ca' }),
    status: 404,
    slug: 'not-found',
    detail: 'no CA no-such-ca',
    code: 'not-found',
  },
  {
    name: 'the root as issuer',
    body: tls(() => csr.good as MadeCsr, { issuer: 'root' }),
    status: 409,
    slug: 'ca-unavailable',
    detail: 'CA root does not issue end-entity certificates',
    code: 'ca-unavailable',
  },
  {
    name: 'intermediate-ca through an issuing CA with pathLength 0',
    body: () => ({ csr: csr.subCa?.pem, profile: 'intermediate-ca' }),
    status: 400,
    slug: 'profile-violation',
    detail: 'CA issuing has pathLength 0: it cannot issue CA certificates',
    code: 'profile-violation',
  },
];

describe('bad input: a clear problem, nothing issued, a failure audited', () => {
  it.each(BAD)('$name: $status $slug', async (bad) => {
    const before = await certificateIds(ca);
    const requestId = `bad-${bad.slug}-${BAD.indexOf(bad)}`;
    const res = await ca.call('POST', '/enroll', {
      json: bad.body(),
      headers: { 'x-request-id': requestId },
    });
    expectProblem(res, bad.status, bad.slug, bad.detail);
    expect(res.headers['x-request-id']).toBe(requestId);
    expect(await certificateIds(ca)).toEqual(before);
    const [last] = await auditRecords(ca);
    expect(last).toMatchObject({
      operation: 'enroll',
      outcome: 'failure',
      failure: bad.code,
      subject: 'alice',
      method: 'api-key',
      requestId,
    });
    expect(last?.certificateId).toBeUndefined();
    expect(last?.serial).toBeUndefined();
  });

  const INVALID_BODIES: readonly [string, unknown, string][] = [
    ['a missing csr', { profile: 'tls-server' }, 'body.csr'],
    ['an empty csr', { csr: '', profile: 'tls-server' }, 'body.csr'],
    ['a missing profile', { csr: 'x' }, 'body.profile'],
    ['validityDays 0', { csr: 'x', profile: 'tls-server', validityDays: 0 }, 'body.validityDays'],
    [
      'validityDays 1.5',
      { csr: 'x', profile: 'tls-server', validityDays: 1.5 },
      'body.validityDays',
    ],
    ['an unknown member', { csr: 'x', profile: 'tls-server', days: 3 }, 'body'],
  ];
  it.each(INVALID_BODIES)(
    '%s is a 400 validation problem naming %s, before any audit',
    async (_name, json, path) => {
      const before = await certificateIds(ca);
      const auditBefore = await auditRecords(ca);
      const res = await ca.call('POST', '/enroll', { json });
      const problem = expectProblem(res, 400, 'validation', /field\(s\) failed validation/);
      expect(problem.errors?.map((e) => e.path)).toContain(path);
      expect(await certificateIds(ca)).toEqual(before);
      expect(await auditRecords(ca)).toEqual(auditBefore);
    },
  );

  it('a body that is not JSON is a 400 malformed-json problem', async () => {
    const res = await ca.call('POST', '/enroll', {
      text: '{"csr": ',
      contentType: 'application/json',
    });
    expectProblem(res, 400, 'malformed-json');
  });
});

describe('CSR encodings that work', () => {
  it.each([
    ['PEM', () => csr.good?.pem],
    ['base64 of the DER', () => csr.good?.der.toString('base64')],
    [
      'base64 of the DER in 64-column lines',
      () => (csr.good?.der.toString('base64').match(/.{1,64}/g) ?? []).join('\n'),
    ],
    [
      'PEM labelled NEW CERTIFICATE REQUEST',
      () => csr.good?.pem.replaceAll('CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'),
    ],
  ])('%s: 201 issued, with its Location', async (_name, text) => {
    const res = await ca.call('POST', '/enroll', { json: { csr: text(), profile: 'tls-server' } });
    expect(res.status).toBe(201);
    const body = res.json<CertificateJson>();
    expect(res.headers.location).toBe(`certificates/${body.id}`);
    expect(body).toMatchObject({
      status: 'issued',
      profile: 'tls-server',
      issuer: 'issuing',
      subject: 'CN=good.example.test',
      sans: ['DNS:good.example.test'],
      requestedBy: 'alice',
    });
    expect(body.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(await certificateIds(ca)).toContain(body.id);
  });
});

describe('the operator limit ca.issuance.maxTlsServerValidityDays', () => {
  let limited: CaHarness;
  beforeAll(async () => {
    limited = await startCa({ ca: { issuance: { maxTlsServerValidityDays: 60 } } });
  });
  afterAll(() => limited.close());

  const enroll = (validityDays?: number) =>
    limited.call('POST', '/enroll', {
      json: {
        csr: csr.good?.pem,
        profile: 'tls-server',
        ...(validityDays === undefined ? {} : { validityDays }),
      },
    });

  const days = (body: CertificateJson, name: string): number => {
    writeFileSync(join(ca.dir, name), body.certificatePem ?? '');
    const cert = readX509(ca.dir, name);
    return (cert.notAfter.getTime() - cert.notBefore.getTime()) / 1000 + 1;
  };

  it('refuses 61 days, naming the operator limit; nothing issued', async () => {
    const res = await enroll(61);
    expectProblem(
      res,
      400,
      'validity-not-allowed',
      'profile tls-server: operator limit: 61 days exceeds the maximum of 60 days',
    );
    expect(await certificateIds(limited)).toEqual([]);
  });

  it('issues 60 days when asked, and lowers the 90-day default to 60', async () => {
    const asked = await enroll(60);
    expect(asked.status).toBe(201);
    expect(days(asked.json<CertificateJson>(), 'limited-60.pem')).toBe(60 * DAY_S);
    const byDefault = await enroll();
    expect(byDefault.status).toBe(201);
    expect(days(byDefault.json<CertificateJson>(), 'limited-default.pem')).toBe(60 * DAY_S);
  });

  it('other profiles keep their own maximum (tls-client: 397 days)', async () => {
    const client = makeCsr(ca.dir, 'limited-client', {
      key: P256,
      subject: '/CN=client',
    });
    const res = await limited.call('POST', '/enroll', {
      json: { csr: client.pem, profile: 'tls-client', validityDays: 397 },
    });
    expect(res.status).toBe(201);
    expect(days(res.json<CertificateJson>(), 'limited-client.pem')).toBe(397 * DAY_S);
  });
});

describe('approval: profiles with approval required answer 202 pending until an admin decides', () => {
  let approved: CertificateJson;
  let rejected: CertificateJson;

  const enroll = async (made: MadeCsr, profile: string, requestId: string) => {
    const res = await ca.call('POST', '/enroll', {
      json: { csr: made.pem, profile },
      headers: { 'x-request-id': requestId },
    });
    expect(res.status).toBe(202);
    const body = res.json<CertificateJson>();
    expect(res.headers.location).toBe(`certificates/${body.id}`);
    return body;
  };

  it('an ocsp-responder request is pending: no serial, no certificate', async () => {
    approved = await enroll(csr.responder1 as MadeCsr, 'ocsp-responder', 'pending-responder1');
    expect(approved).toEqual({
      id: approved.id,
      status: 'pending',
      profile: 'ocsp-responder',
      issuer: 'issuing',
      subject: 'CN=OCSP responder 1, O=Example',
      sans: [],
      requestedBy: 'alice',
      createdAt: approved.createdAt,
    });
    const got = await ca.call('GET', `/certificates/${approved.id}`);
    expect(got.status).toBe(200);
    expect(got.json<CertificateJson>().status).toBe('pending');
    const pending = await ca.call('GET', '/certificates?status=pending');
    expect(pending.json<{ items: CertificateJson[] }>().items.map((c) => c.id)).toEqual([
      approved.id,
    ]);
  });

  it('a pending request has no PEM, DER or chain yet (400)', async () => {
    const detail = `certificate ${approved.id} is pending: no certificate yet`;
    for (const path of [
      `/certificates/${approved.id}?format=pem`,
      `/certificates/${approved.id}?format=der`,
      `/certificates/${approved.id}/chain`,
    ]) {
      expectProblem(await ca.call('GET', path), 400, 'invalid-ca-request', detail);
    }
  });

  it('alice (no ca:admin) may neither approve nor reject: 403, still pending', async () => {
    for (const action of ['approve', 'reject']) {
      const res = await ca.call('POST', `/certificates/${approved.id}/${action}`);
      expectProblem(res, 403, 'insufficient-scope');
    }
    const got = await ca.call('GET', `/certificates/${approved.id}`);
    expect(got.json<CertificateJson>().status).toBe('pending');
  });

  it('admin approves: 200 issued, decided by admin, with a certificate', async () => {
    const res = await ca.call('POST', `/certificates/${approved.id}/approve`, {
      as: 'admin',
      headers: { 'x-request-id': 'approve-responder1' },
    });
    expect(res.status).toBe(200);
    const body = res.json<CertificateJson>();
    expect(body).toMatchObject({
      id: approved.id,
      status: 'issued',
      decidedBy: 'admin',
      requestedBy: 'alice',
      subject: 'CN=OCSP responder 1, O=Example',
    });
    expect(body.serial).toMatch(/^[0-9a-f]{32}$/);
    expect(body.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const pem = await ca.call('GET', `/certificates/${approved.id}?format=pem`);
    expect(pem.text).toBe(body.certificatePem);
    approved = body;
  });

  it('approving again is a 409 conflict; nothing changes', async () => {
    const res = await ca.call('POST', `/certificates/${approved.id}/approve`, { as: 'admin' });
    expectProblem(res, 409, 'conflict', `certificate ${approved.id} is issued, not pending`);
    const reject = await ca.call('POST', `/certificates/${approved.id}/reject`, { as: 'admin' });
    expectProblem(reject, 409, 'conflict', `certificate ${approved.id} is issued, not pending`);
    const got = await ca.call('GET', `/certificates/${approved.id}`);
    expect(got.json<CertificateJson>()).toEqual(approved);
  });

  it('admin rejects an ocsp-responder request: rejected; approve or reject after it is 409', async () => {
    rejected = await enroll(csr.responder2 as MadeCsr, 'ocsp-responder', 'pending-responder2');
    const res = await ca.call('POST', `/certificates/${rejected.id}/reject`, {
      as: 'admin',
      headers: { 'x-request-id': 'reject-responder2' },
    });
    expect(res.status).toBe(200);
    rejected = res.json<CertificateJson>();
    expect(rejected).toMatchObject({ status: 'rejected', decidedBy: 'admin' });
    expect(rejected.certificatePem).toBeUndefined();
    expect(rejected.serial).toBeUndefined();
    for (const action of ['approve', 'reject']) {
      const again = await ca.call('POST', `/certificates/${rejected.id}/${action}`, {
        as: 'admin',
      });
      expectProblem(again, 409, 'conflict', `certificate ${rejected.id} is rejected, not pending`);
    }
    const got = await ca.call('GET', `/certificates/${rejected.id}?format=pem`);
    expectProblem(
      got,
      400,
      'invalid-ca-request',
      `certificate ${rejected.id} is rejected: no certificate yet`,
    );
  });

  it('the requested validity waits with the request; two admins approving at once: 200 and 409', async () => {
    const res = await ca.call('POST', '/enroll', {
      json: { csr: csr.responder4?.pem, profile: 'ocsp-responder', validityDays: 7 },
    });
    expect(res.status).toBe(202);
    const { id } = res.json<CertificateJson>();
    const answers = await Promise.all([
      ca.call('POST', `/certificates/${id}/approve`, { as: 'admin' }),
      ca.call('POST', `/certificates/${id}/approve`, { as: 'admin' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const loser = answers.find((a) => a.status === 409);
    expectProblem(
      loser as NonNullable<typeof loser>,
      409,
      'conflict',
      new RegExp(`^certificate ${id} (was decided meanwhile|is issued, not pending)$`),
    );
    const issued = answers.find((a) => a.status === 200)?.json<CertificateJson>();
    writeFileSync(join(ca.dir, 'responder4.pem'), issued?.certificatePem ?? '');
    const cert = readX509(ca.dir, 'responder4.pem');
    expect((cert.notAfter.getTime() - cert.notBefore.getTime()) / 1000 + 1).toBe(7 * DAY_S);
    const got = await ca.call('GET', `/certificates/${id}`);
    expect(got.json<CertificateJson>().serial).toBe(issued?.serial);
  });

  it('a request the profile could never issue fails at once, not at approval', async () => {
    const res = await ca.call('POST', '/enroll', {
      json: { csr: csr.responder3?.pem, profile: 'ocsp-responder', validityDays: 91 },
    });
    expectProblem(
      res,
      400,
      'validity-not-allowed',
      'profile ocsp-responder: validity.maxDays: 91 days exceeds the maximum of 90 days',
    );
  });

  it('bob of tenant-b does not see alice’s pending request (404 for admin scopes too)', async () => {
    const pending = await enroll(csr.responder3 as MadeCsr, 'ocsp-responder', 'pending-3');
    const res = await ca.call('GET', `/certificates/${pending.id}`, { as: 'bob' });
    expectProblem(res, 404, 'not-found', `no certificate ${pending.id}`);
    const unknown = await ca.call('POST', `/certificates/${crypto.randomUUID()}/approve`, {
      as: 'admin',
    });
    expectProblem(unknown, 404, 'not-found');
  });

  it('the audit log records every step with its request id, and never a CSR or certificate', async () => {
    const records = await auditRecords(ca);
    const byRequest = (id: string) => records.filter((r) => r.requestId === id);
    expect(byRequest('pending-responder1')).toEqual([
      expect.objectContaining({
        operation: 'enroll',
        outcome: 'pending',
        certificateId: approved.id,
        issuer: 'issuing',
        profile: 'ocsp-responder',
        subject: 'alice',
      }),
    ]);
    expect(byRequest('pending-responder1')[0]?.serial).toBeUndefined();
    expect(byRequest('approve-responder1')).toEqual([
      expect.objectContaining({
        operation: 'approve',
        outcome: 'issued',
        certificateId: approved.id,
        serial: approved.serial,
        subject: 'admin',
      }),
    ]);
    expect(byRequest('reject-responder2')).toEqual([
      expect.objectContaining({
        operation: 'reject',
        outcome: 'rejected',
        certificateId: rejected.id,
        profile: 'ocsp-responder',
        subject: 'admin',
      }),
    ]);
    const issued = records.filter((r) => r.operation === 'enroll' && r.outcome === 'issued');
    expect(issued.length).toBeGreaterThanOrEqual(4);
    for (const r of issued) expect(r.serial).toMatch(/^[0-9a-f]+$/);
    const conflicts = records.filter((r) => r.outcome === 'failure' && r.failure === 'conflict');
    // approve and reject of an issued one, of a rejected one, and the approval race's loser.
    expect(conflicts.map((r) => r.operation).sort()).toEqual([
      'approve',
      'approve',
      'approve',
      'reject',
      'reject',
    ]);
    expect(records.every((r) => typeof r.requestId === 'string')).toBe(true);
    const allowed = new Set<keyof AuditJson>([
      'id',
      'at',
      'subject',
      'method',
      'operation',
      'outcome',
      'failure',
      'certificateId',
      'issuer',
      'serial',
      'profile',
      'requestId',
    ]);
    for (const r of records) {
      for (const key of Object.keys(r)) expect(allowed.has(key as keyof AuditJson)).toBe(true);
    }
    const text = JSON.stringify(records);
    expect(text).not.toContain('-----BEGIN');
    for (const made of Object.values(csr)) {
      expect(text).not.toContain(made.der.toString('base64').slice(40, 80));
    }
    const approvedDer = (approved.certificatePem ?? '').split('\n')[2] ?? '';
    expect(approvedDer.length).toBe(64);
    expect(text).not.toContain(approvedDer);
  });

  it('only ca:admin reads the audit log (alice: 403); ?operation filters it', async () => {
    expectProblem(await ca.call('GET', '/audit'), 403, 'insufficient-scope');
    const rejects = await auditRecords(ca, '&operation=reject');
    expect(new Set(rejects.map((r) => r.operation))).toEqual(new Set(['reject']));
    expect(rejects).toHaveLength(3);
    expectProblem(await ca.call('GET', '/audit', { as: 'bob' }), 403, 'insufficient-scope');
  });
});
