// The KMS process across restarts, on SQLite (a file) and PostgreSQL: what it acknowledged
// survives a SIGTERM restart with the same secret files; other secret files stop it at start
// without touching the data; a SIGKILL in the middle of a burst of creates loses no
// acknowledged key and leaves no key half-written (each create is one transaction).
import { describeEachDialect } from '@cryptoutil/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKmsWorkspace, type KmsProcess, type KmsWorkspace } from './support/kms-process.js';

interface Key {
  readonly id: string;
  readonly name: string;
  readonly algorithm: string;
  readonly status: string;
}

const PLAINTEXT = 'durable plaintext ✓';
const PAYLOAD = 'durable payload';
const b64 = (text: string) => Buffer.from(text).toString('base64url');
const kidOf = (compact: string) =>
  (JSON.parse(Buffer.from(compact.split('.')[0] ?? '', 'base64url').toString()) as { kid: string })
    .kid;

async function createKey(kms: KmsProcess, name: string, algorithm: string): Promise<Key> {
  const res = await kms.call('POST', '/elastic-keys', { json: { name, algorithm } });
  expect(res.status, res.text).toBe(201);
  return res.json<Key>();
}

async function listKeys(kms: KmsProcess): Promise<Key[]> {
  const res = await kms.call('GET', '/elastic-keys?pageSize=1000&sort=name');
  expect(res.status, res.text).toBe(200);
  return res.json<{ items: Key[] }>().items;
}

/** Encrypt+decrypt or sign+verify with a fresh value; throws unless it round-trips. */
async function roundTrip(kms: KmsProcess, key: Key): Promise<void> {
  const value = `round trip ${key.name}`;
  const signing = key.algorithm === 'ES256';
  const out = await kms.call('POST', `/elastic-keys/${key.id}/${signing ? 'sign' : 'encrypt'}`, {
    text: value,
  });
  expect(out.status, `${key.name}: ${out.text}`).toBe(200);
  const back = await kms.call('POST', `/elastic-keys/${key.id}/${signing ? 'verify' : 'decrypt'}`, {
    text: out.text,
  });
  expect(back.status, `${key.name}: ${back.text}`).toBe(200);
  if (signing)
    expect(back.json()).toEqual({ valid: true, kid: kidOf(out.text), payload: b64(value) });
  else expect(back.text).toBe(value);
}

describeEachDialect('KMS process durability', (ctx) => {
  let ws: KmsWorkspace;
  let databaseUrl: string;
  let secretFiles: string[];
  // What the first process acknowledged, read back by later starts.
  let saved: { aes: Key; ec: Key; jwe: string; jws: string } | undefined;

  beforeAll(async () => {
    ws = createKmsWorkspace();
    databaseUrl = await ctx.createUrl({ file: true });
    secretFiles = ws.writeSecrets('right');
  });
  afterAll(() => ws.dispose());

  async function expectSavedData(kms: KmsProcess): Promise<void> {
    if (!saved) throw new Error('the first process saved nothing');
    const { aes, ec, jwe, jws } = saved;
    expect(await listKeys(kms)).toEqual([aes, ec]);
    const opened = await kms.call('POST', `/elastic-keys/${aes.id}/decrypt`, { text: jwe });
    expect({ status: opened.status, text: opened.text }).toEqual({ status: 200, text: PLAINTEXT });
    const verified = await kms.call('POST', `/elastic-keys/${ec.id}/verify`, { text: jws });
    expect(verified.status).toBe(200);
    expect(verified.json()).toEqual({ valid: true, kid: kidOf(jws), payload: b64(PAYLOAD) });
  }

  it('restarts with the same secret files and still lists, decrypts and verifies', async () => {
    const first = await ws.start({ databaseUrl, secretFiles });
    const aes = await createKey(first, 'durable-aes', 'A256GCM/dir');
    const ec = await createKey(first, 'durable-ec', 'ES256');
    const jwe = await first.call('POST', `/elastic-keys/${aes.id}/encrypt`, { text: PLAINTEXT });
    const jws = await first.call('POST', `/elastic-keys/${ec.id}/sign`, { text: PAYLOAD });
    expect([jwe.status, jws.status]).toEqual([200, 200]);
    saved = { aes, ec, jwe: jwe.text, jws: jws.text };
    expect(await first.stop()).toEqual({ code: 0, signal: null });

    const second = await ws.start({ databaseUrl, secretFiles: [...secretFiles].reverse() });
    await expectSavedData(second);
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });

  it('refuses to start with other secret files, and the right ones still open everything', async () => {
    const began = Date.now();
    const refused = await ws.runToExit(
      { databaseUrl, secretFiles: ws.writeSecrets('other') },
      20_000,
    );
    expect(Date.now() - began).toBeLessThan(15_000);
    expect({ code: refused.code, signal: refused.signal }).toEqual({ code: 1, signal: null });
    expect(refused.stderr).toContain('cryptoutil: the unseal keys do not open this barrier\n');
    expect(refused.stdout).toBe('');

    // Two of the three files meet the threshold.
    const again = await ws.start({ databaseUrl, secretFiles: secretFiles.slice(1) });
    await expectSavedData(again);
    expect(await again.stop()).toEqual({ code: 0, signal: null });
  });

  it('loses no acknowledged key and half-writes none when killed -9 in a burst of creates', async () => {
    const burstUrl = await ctx.createUrl({ file: true });
    const first = await ws.start({ databaseUrl: burstUrl, secretFiles });
    const burst = await createBurst(first, { total: 200, concurrency: 16, killAfter: 60 });
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(burst.unexpected).toEqual([]);
    expect(burst.acked.length).toBeGreaterThanOrEqual(60);
    expect(burst.acked.length).toBeLessThan(200);

    const second = await ws.start({ databaseUrl: burstUrl, secretFiles });
    await mapLimit(burst.acked, 8, async (key) => {
      const got = await second.call('GET', `/elastic-keys/${key.id}`);
      expect({ status: got.status, key: got.json() }).toEqual({ status: 200, key });
    });
    const listed = await listKeys(second);
    expect(listed.length).toBeLessThanOrEqual(burst.sent);
    expect(listed.map((k) => k.id)).toEqual(expect.arrayContaining(burst.acked.map((k) => k.id)));
    await mapLimit(listed, 8, async (key) => {
      expect(key.status, key.name).toBe('active');
      const versions = await second.call('GET', `/elastic-keys/${key.id}/material-keys`);
      expect(versions.json<{ items: unknown[] }>().items, key.name).toHaveLength(1);
      await roundTrip(second, key);
    });
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });
});

/**
 * Fires `total` creates, `concurrency` at a time, alternating A256GCM/dir and ES256, and
 * SIGKILLs the server once `killAfter` were acknowledged. Answers other than 201, or transport
 * errors before the kill, are `unexpected`; errors after it are the kill cutting connections.
 */
async function createBurst(
  kms: KmsProcess,
  plan: { readonly total: number; readonly concurrency: number; readonly killAfter: number },
): Promise<{ acked: Key[]; sent: number; unexpected: string[] }> {
  const acked: Key[] = [];
  const unexpected: string[] = [];
  let sent = 0;
  let killed = false;
  const worker = async () => {
    while (!killed && sent < plan.total) {
      const i = sent++;
      const algorithm = i % 2 === 0 ? 'A256GCM/dir' : 'ES256';
      try {
        const res = await kms.call('POST', '/elastic-keys', {
          json: { name: `burst-${String(i).padStart(3, '0')}`, algorithm },
        });
        if (res.status === 201) acked.push(res.json<Key>());
        else unexpected.push(`${res.status}: ${res.text}`);
      } catch (err) {
        if (!killed) unexpected.push((err as Error).message);
      }
      if (!killed && acked.length >= plan.killAfter) {
        killed = true;
        void kms.kill();
      }
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  return { acked, sent, unexpected };
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the order of results. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
