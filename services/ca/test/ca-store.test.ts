// The CA store against SQLite and PostgreSQL (ARCHITECTURE §3): CA rows with their blobs and
// counters (CRL numbers taken concurrently are all distinct), certificates scoped to their
// tenant with every filter (LIKE wildcards in a filter match literally), the compare-and-set
// state changes, the revocation readers, the audit log; then two running CAs on one PostgreSQL
// database: one hierarchy, and a revocation on one is answered by the other's OCSP responder.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMigrations, uuidv7 } from '@cryptoutil/db';
import { describeEachDialect, type DialectContext } from '@cryptoutil/db/testing';
import { waitFor } from '@cryptoutil/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CertificateRecord } from '../src/domain/certificate.js';
import { caMigrations } from '../src/index.js';
import { createCaStore, type CaStore } from '../src/store/ca-store.js';
import { startCa, type CaHarness } from './support/ca-harness.js';
import { openssl, opensslAsync } from './support/openssl.js';

const T = 'tenant-store';
const OTHER = 'tenant-other';
const T0 = 1_700_000_000_000;

async function freshStore(ctx: DialectContext): Promise<CaStore> {
  const db = await ctx.createDatabase<unknown>();
  await runMigrations(db, caMigrations);
  return createCaStore(db);
}

function certificate(overrides: Partial<CertificateRecord> = {}): CertificateRecord {
  return {
    id: uuidv7(),
    tenantId: T,
    issuerId: 'issuing',
    profile: 'tls-server',
    status: 'issued',
    subject: 'CN=www.example.com',
    sans: ['DNS:www.example.com', 'IP:10.0.0.1'],
    csr: new Uint8Array([0x30, 0x00, 0xff]),
    requestedBy: 'alice',
    createdAt: T0,
    updatedAt: T0,
    serial: randomBytes(16)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    notBefore: T0,
    notAfter: T0 + 90 * 86_400_000,
    der: new Uint8Array(randomBytes(64)),
    partition: 3,
    ...overrides,
  };
}

describeEachDialect('ca store', (ctx) => {
  let store: CaStore;
  beforeAll(async () => {
    store = await freshStore(ctx);
  });

  it('keeps CA rows with their bytes, and hands out every CRL number once', async () => {
    const cert = new Uint8Array(randomBytes(300));
    await store.authorities.insert(
      {
        id: 'issuing',
        parentId: 'root',
        issuing: true,
        certificate: cert,
        wrappedKey: 'jwe',
        revision: 0,
        createdAt: T0,
      },
      T0,
    );
    await store.authorities.insert(
      {
        id: 'root',
        issuing: false,
        certificate: new Uint8Array([1]),
        revision: 0,
        createdAt: T0 + 1,
      },
      T0 + 1,
    );
    const issuing = await store.authorities.get('issuing');
    expect(issuing).toEqual({
      id: 'issuing',
      parentId: 'root',
      issuing: true,
      certificate: cert,
      wrappedKey: 'jwe',
      revision: 0,
      createdAt: T0,
    });
    expect((await store.authorities.get('root'))?.wrappedKey).toBeUndefined();
    expect(await store.authorities.get('nope')).toBeUndefined();
    expect((await store.authorities.list()).map((a) => a.id)).toEqual(['issuing', 'root']);

    const numbers = await Promise.all(
      Array.from({ length: 20 }, () => store.authorities.nextCrlNumber('issuing')),
    );
    expect([...numbers].sort((a, b) => Number(a - b))).toEqual(
      Array.from({ length: 20 }, (_, i) => BigInt(i + 1)),
    );
    expect(await store.authorities.bumpRevision('issuing')).toBe(1);
    expect(await store.authorities.bumpRevision('issuing')).toBe(2);
    expect(await store.authorities.revisions()).toEqual(
      new Map([
        ['issuing', 2],
        ['root', 0],
      ]),
    );

    const responder = { certificate: new Uint8Array([9, 8, 7]), wrappedKey: 'ocsp-jwe' };
    await store.authorities.setOcspResponder('issuing', responder, T0 + 5);
    expect((await store.authorities.get('issuing'))?.ocsp).toEqual(responder);
  });

  it('reads certificates back exactly, only in their tenant, with every filter', async () => {
    const a = certificate({ subject: 'CN=100%_off.example, O=Shop', sans: ['DNS:100pct.example'] });
    const b = certificate({ profile: 'tls-client', notAfter: T0 + 10 * 86_400_000, partition: 1 });
    const c = certificate({ tenantId: OTHER });
    // A pending enrollment: no serial, validity, DER or partition yet.
    const full = certificate({ status: 'pending' });
    const p: CertificateRecord = {
      id: full.id,
      tenantId: T,
      issuerId: full.issuerId,
      profile: full.profile,
      status: 'pending',
      subject: full.subject,
      sans: full.sans,
      csr: full.csr,
      requestedBy: full.requestedBy,
      createdAt: T0,
      updatedAt: T0,
      validityDays: 30,
    };
    for (const record of [a, b, c, p]) await store.certificates.insert(record);

    expect(await store.certificates.get(T, a.id)).toEqual(a);
    expect(await store.certificates.get(T, p.id)).toEqual(p);
    expect(await store.certificates.get(OTHER, a.id)).toBeUndefined();

    const ids = async (query: Parameters<CaStore['certificates']['list']>[1]) =>
      (await store.certificates.list(T, query)).items.map((r) => r.id);
    expect(await ids({})).toEqual([p.id, b.id, a.id]);
    expect(await ids({ profile: 'tls-client' })).toEqual([b.id]);
    expect(await ids({ status: 'pending' })).toEqual([p.id]);
    expect(await ids({ subject: '100%_OFF' })).toEqual([a.id]);
    expect(await ids({ subject: '100%x' })).toEqual([]);
    expect(await ids({ subject: '_' })).toEqual([a.id]);
    expect(await ids({ san: 'PCT.example' })).toEqual([a.id]);
    expect(await ids({ san: '10.0.0.1' })).toEqual([p.id, b.id]);
    expect(await ids({ serial: b.serial })).toEqual([b.id]);
    expect(await ids({ issuer: 'other' })).toEqual([]);
    expect(await ids({ expiresBefore: T0 + 11 * 86_400_000 })).toEqual([b.id]);
    expect(await ids({ expiresAfter: T0 + 11 * 86_400_000 })).toEqual([a.id]);
    const first = await store.certificates.list(T, { pageSize: 2 });
    expect(first.items.map((r) => r.id)).toEqual([p.id, b.id]);
    expect(first.nextPageToken).toBeDefined();
    const second = await store.certificates.list(T, {
      pageSize: 2,
      pageToken: first.nextPageToken,
    });
    expect(second).toEqual({ items: [a] });
    await expect(store.certificates.list(T, { pageToken: 'bogus' })).rejects.toMatchObject({
      code: 'invalid-request',
    });
  });

  it('changes state by compare-and-set, and the revocation readers follow', async () => {
    const issuer = `issuer-${uuidv7()}`;
    const good = certificate({ issuerId: issuer, partition: 0 });
    const held = certificate({ issuerId: issuer, partition: 1 });
    const pending: CertificateRecord = { ...certificate({ issuerId: issuer, status: 'pending' }) };
    for (const r of [good, held, pending]) await store.certificates.insert(r);

    expect(await store.certificates.markRevoked(held.id, T0 + 1, 'certificateHold', T0 + 1)).toBe(
      true,
    );
    expect(await store.certificates.statusOf(issuer, held.serial as string)).toEqual({
      status: 'revoked',
      revokedAt: new Date(T0 + 1),
      reason: 'certificateHold',
    });
    expect(await store.certificates.statusOf(issuer, good.serial as string)).toEqual({
      status: 'good',
    });
    expect(await store.certificates.statusOf(issuer, 'abcdef')).toBeUndefined();
    expect(await store.certificates.statusOf(issuer, pending.serial as string)).toBeUndefined();
    expect(await store.certificates.revokedOf(issuer)).toEqual([
      { serial: held.serial, revokedAt: new Date(T0 + 1), reason: 'certificateHold' },
    ]);
    expect(await store.certificates.revokedOf(issuer, 0)).toEqual([]);

    expect(await store.certificates.releaseHold(held.id, T0 + 2)).toBe(true);
    expect(await store.certificates.releaseHold(held.id, T0 + 2)).toBe(false);
    expect(await store.certificates.revokedOf(issuer)).toEqual([]);
    expect(await store.certificates.markRevoked(held.id, T0 + 3, 'certificateHold', T0 + 3)).toBe(
      true,
    );
    // A hold made permanent keeps no hold: a second change is refused.
    expect(await store.certificates.markRevoked(held.id, T0 + 4, 'keyCompromise', T0 + 4)).toBe(
      true,
    );
    expect(await store.certificates.markRevoked(held.id, T0 + 5, 'superseded', T0 + 5)).toBe(false);
    expect(await store.certificates.markRevoked(good.id, T0 + 6, 'unspecified', T0 + 6)).toBe(true);
    expect(await store.certificates.revokedOf(issuer)).toEqual(
      expect.arrayContaining([
        { serial: held.serial, revokedAt: new Date(T0 + 4), reason: 'keyCompromise' },
        { serial: good.serial, revokedAt: new Date(T0 + 6) },
      ]),
    );
    expect(await store.certificates.markRevoked(pending.id, T0, 'keyCompromise', T0)).toBe(false);

    const fields = {
      serial: 'ab01',
      notBefore: T0,
      notAfter: T0 + 1000,
      der: new Uint8Array([1, 2, 3]),
      partition: 2,
      subject: 'CN=x',
      sans: ['DNS:x'],
    };
    expect(await store.certificates.markIssued(pending.id, fields, 'admin', T0 + 7)).toBe(true);
    expect(await store.certificates.markIssued(pending.id, fields, 'admin', T0 + 8)).toBe(false);
    expect(await store.certificates.markRejected(pending.id, 'admin', T0 + 9)).toBe(false);
    expect(await store.certificates.get(T, pending.id)).toMatchObject({
      status: 'issued',
      serial: 'ab01',
      der: new Uint8Array([1, 2, 3]),
      decidedBy: 'admin',
      updatedAt: T0 + 7,
    });
    const other = certificate({ issuerId: issuer, status: 'pending' });
    await store.certificates.insert(other);
    expect(await store.certificates.markRejected(other.id, 'admin', T0 + 10)).toBe(true);
    expect((await store.certificates.get(T, other.id))?.status).toBe('rejected');
  });

  it('keeps audit records newest first per tenant, with filters, pages and retention', async () => {
    const record = (at: number, tenantId = T, extra = {}) => ({
      id: uuidv7(),
      tenantId,
      at,
      subject: 'alice',
      method: 'api-key',
      operation: 'enroll' as const,
      outcome: 'issued' as const,
      ...extra,
    });
    const r1 = record(Date.now() - 5000, T, { certificateId: 'c1', serial: 'aa', profile: 'p' });
    await new Promise((r) => setTimeout(r, 2));
    const r2 = record(Date.now(), T, { requestId: 'req-2', failure: 'keyCompromise' });
    const r3 = record(Date.now(), OTHER);
    for (const r of [r1, r2, r3]) await store.audit.insert(r);
    expect((await store.audit.list(T, {})).items).toEqual([r2, r1]);
    expect((await store.audit.list(T, { certificateId: 'c1' })).items).toEqual([r1]);
    expect((await store.audit.list(T, { operation: 'revoke' })).items).toEqual([]);
    expect(await store.audit.prune(Date.now() + 1000)).toBeGreaterThanOrEqual(3);
    expect((await store.audit.list(T, {})).items).toEqual([]);
  });
});

describeEachDialect('two running CAs on one database', (ctx) => {
  if (ctx.dialect !== 'postgres') {
    // Several instances of one product share PostgreSQL (ARCHITECTURE §3).
    it.skip('runs on PostgreSQL only', () => undefined);
    return;
  }
  let a: CaHarness;
  let b: CaHarness;
  beforeAll(async () => {
    const url = await ctx.createUrl();
    const dir = mkdtempSync(join(tmpdir(), 'cu-ca-store-'));
    const secret = join(dir, 'unseal-1');
    writeFileSync(secret, randomBytes(32), { mode: 0o600 });
    const config = {
      database: { url },
      barrier: { mode: 'secrets', files: [secret], threshold: 1 },
    };
    a = await startCa(config);
    b = await startCa(config, a.keys);
  });
  afterAll(async () => {
    await Promise.all([a, b].filter(Boolean).map((s) => s.close()));
  });

  it('share one hierarchy, and B answers OCSP for A’s revocation', async () => {
    const certsOf = async (h: CaHarness) =>
      (await h.call('GET', '/cas'))
        .json<{ items: { id: string; certificatePem: string }[] }>()
        .items.map(({ id, certificatePem }) => ({ id, certificatePem }));
    expect(await certsOf(b)).toEqual(await certsOf(a));
    const cas = await certsOf(a);
    const issuing = cas.find((x) => x.id === 'issuing');
    const root = cas.find((x) => x.id === 'root');
    writeFileSync(join(a.dir, 'issuing.pem'), issuing?.certificatePem ?? '');
    writeFileSync(join(a.dir, 'root.pem'), root?.certificatePem ?? '');
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
        'k.pem',
        '-subj',
        '/CN=two.example',
        '-addext',
        'subjectAltName=DNS:two.example',
        '-out',
        'r.csr',
      ],
      a.dir,
    );
    const enrolled = await a.call('POST', '/enroll', {
      json: { csr: readFileSync(join(a.dir, 'r.csr'), 'utf8'), profile: 'tls-server' },
    });
    expect(enrolled.status).toBe(201);
    const { id, certificatePem } = enrolled.json<{ id: string; certificatePem: string }>();
    writeFileSync(join(a.dir, 'leaf.pem'), certificatePem);
    const ocspAtB = () =>
      opensslAsync(
        [
          'ocsp',
          '-issuer',
          'issuing.pem',
          '-cert',
          'leaf.pem',
          '-CAfile',
          'root.pem',
          '-no_nonce',
          '-url',
          `${b.baseUrl}/.well-known/pki-ca/ocsp`,
        ],
        a.dir,
      );
    expect((await ocspAtB()).stdout).toContain('leaf.pem: good');
    expect(
      (await a.call('POST', `/certificates/${id}/revoke`, { json: { reason: 'superseded' } }))
        .status,
    ).toBe(200);
    // B sees the revision move within its one-second poll and drops its cached answer.
    await waitFor(
      async () => {
        const result = await ocspAtB();
        if (!result.stdout.includes('leaf.pem: revoked')) throw new Error(result.output);
      },
      { timeoutMs: 10_000, intervalMs: 250 },
    );
    expect((await b.call('GET', `/certificates/${id}`)).json()).toMatchObject({
      status: 'revoked',
    });
  });
});
