// Two KMS processes on one PostgreSQL database with the same secret files, started at the same
// moment: both migrate and unseal without a race, share keys, and each sees the other's
// rotation and disable within `kms.cache.ttlMs` (the key resolver's cache bound).
import { describeEachDialect } from '@cryptoutil/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKmsWorkspace, type KmsProcess, type KmsWorkspace } from './support/kms-process.js';

const TTL_MS = 200;
// Waiting past the TTL is the behaviour under test (not a poll): every cache entry B holds
// was filled before A's write answered, so it has expired once TTL_MS have passed since then.
const pastTtl = () => new Promise((r) => setTimeout(r, TTL_MS + 150));
const kidOf = (compact: string) =>
  (JSON.parse(Buffer.from(compact.split('.')[0] ?? '', 'base64url').toString()) as { kid: string })
    .kid;

async function createKey(kms: KmsProcess, name: string, algorithm: string): Promise<string> {
  const res = await kms.call('POST', '/elastic-keys', { json: { name, algorithm } });
  expect(res.status, res.text).toBe(201);
  return res.json<{ id: string }>().id;
}

async function encrypt(kms: KmsProcess, id: string, text: string): Promise<string> {
  const res = await kms.call('POST', `/elastic-keys/${id}/encrypt`, { text });
  expect(res.status, res.text).toBe(200);
  return res.text;
}

async function decrypt(kms: KmsProcess, id: string, jwe: string) {
  const res = await kms.call('POST', `/elastic-keys/${id}/decrypt`, { text: jwe });
  return { status: res.status, text: res.text };
}

describeEachDialect('two KMS processes on one database', (ctx) => {
  if (ctx.dialect !== 'postgres') {
    // Several instances of one product share a PostgreSQL database (ARCHITECTURE §3); an
    // empty suite would fail, so the SQLite half says why it has nothing to run.
    it.skip('runs on PostgreSQL only', () => undefined);
    return;
  }
  let ws: KmsWorkspace;
  let a: KmsProcess;
  let b: KmsProcess;

  beforeAll(async () => {
    ws = createKmsWorkspace();
    const databaseUrl = await ctx.createUrl();
    const secretFiles = ws.writeSecrets('shared');
    const options = { databaseUrl, secretFiles, kms: { cache: { ttlMs: TTL_MS } } };
    // Both start on the fresh database at once: each migrates and initializes the barrier.
    [a, b] = await Promise.all([
      ws.start({ ...options, tlsDir: `${ws.dir}/tls-a` }),
      ws.start({ ...options, tlsDir: `${ws.dir}/tls-b` }),
    ]);
  });
  afterAll(() => ws.dispose());

  it('both become ready and stay up after starting together on a fresh database', async () => {
    for (const kms of [a, b]) {
      const ready = await kms.call('GET', '/admin/v1/readyz');
      expect({ status: ready.status, body: ready.json() }).toEqual({
        status: 200,
        body: { status: 'ok', checks: { database: 'ok', barrier: 'ok' } },
      });
      expect(kms.isRunning()).toBe(true);
    }
  });

  it('shares keys: a key created on A encrypts on B, and each opens the other’s ciphertext and signature', async () => {
    const id = await createKey(a, 'shared-aes', 'A256GCM/dir');
    const fromB = await encrypt(b, id, 'sealed by B');
    expect(await decrypt(a, id, fromB)).toEqual({ status: 200, text: 'sealed by B' });
    const fromA = await encrypt(a, id, 'sealed by A');
    expect(await decrypt(b, id, fromA)).toEqual({ status: 200, text: 'sealed by A' });
    const ec = await createKey(a, 'shared-ec', 'ES256');
    const jws = await b.call('POST', `/elastic-keys/${ec}/sign`, { text: 'signed by B' });
    expect(jws.status, jws.text).toBe(200);
    const verified = await a.call('POST', `/elastic-keys/${ec}/verify`, { text: jws.text });
    expect(verified.json()).toEqual({
      valid: true,
      kid: kidOf(jws.text),
      payload: Buffer.from('signed by B').toString('base64url'),
    });
  });

  it('B encrypts under A’s new version once the cache TTL has passed after a rotation', async () => {
    const id = await createKey(a, 'shared-rotate', 'A256GCM/dir');
    const oldKid = kidOf(await encrypt(b, id, 'before'));
    const rotated = await a.call('POST', `/elastic-keys/${id}/material-keys`, { json: {} });
    expect(rotated.status, rotated.text).toBe(201);
    const newKid = rotated.json<{ kid: string }>().kid;
    expect(newKid).not.toBe(oldKid);
    await pastTtl();
    const after = await encrypt(b, id, 'after');
    expect(kidOf(after)).toBe(newKid);
    expect(await decrypt(a, id, after)).toEqual({ status: 200, text: 'after' });
  });

  it('B answers 409 key-not-active once the cache TTL has passed after a disable on A', async () => {
    const id = await createKey(a, 'shared-disable', 'A256GCM/dir');
    await encrypt(b, id, 'while active');
    const disabled = await a.call('POST', `/elastic-keys/${id}/disable`, { json: {} });
    expect(disabled.json()).toMatchObject({ id, status: 'disabled' });
    await pastTtl();
    const refused = await b.call('POST', `/elastic-keys/${id}/encrypt`, { text: 'too late' });
    expect({ status: refused.status, body: refused.json() }).toEqual({
      status: 409,
      body: {
        type: 'urn:cryptoutil:problem:key-not-active',
        title: 'Key not active',
        status: 409,
        detail: 'the elastic key is disabled',
      },
    });
  });
});
