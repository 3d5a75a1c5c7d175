// The barrier's life cycle over an in-memory SQLite store: unseal, views, rotation, seal,
// shares mode, and the in-memory key cache.
import { createDatabase, runMigrations, type Database } from '@cryptoutil/db';
import { decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { barrierMigrations } from './barrier-migrations.js';
import type { BarrierStore } from './barrier-store.js';
import { createBarrier } from './create-barrier.js';
import { createKyselyBarrierStore, type BarrierTables } from './kysely-barrier-store.js';
import { createDevUnsealSource, createSharesUnsealSource } from './unseal-key-source.js';

const opened: Database<BarrierTables>[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.destroy()));
});

async function memoryStore(): Promise<BarrierStore> {
  const database = createDatabase<BarrierTables>({ url: ':memory:' });
  opened.push(database);
  await runMigrations(database, barrierMigrations);
  return createKyselyBarrierStore(database);
}

/** Counts store calls, to prove hot keys cost no read. */
function counting(store: BarrierStore): { store: BarrierStore; calls: string[] } {
  const calls: string[] = [];
  const spy = new Proxy(store, {
    get(target, name: keyof BarrierStore): unknown {
      calls.push(name);
      return Reflect.get(target, name);
    },
  });
  return { store: spy, calls };
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const sealed = { code: 'sealed', message: 'the barrier is sealed' };

describe('createBarrier (dev mode)', () => {
  it('starts sealed, initialises an empty store on unseal and round-trips data', async () => {
    const barrier = createBarrier({
      store: await memoryStore(),
      source: createDevUnsealSource(),
      now: () => 1000,
    });
    expect(barrier.state).toBe('sealed');
    expect(await barrier.status()).toEqual({
      sealed: true,
      mode: 'dev',
      initialized: false,
      keyCounts: { root: 0, intermediate: 0, content: 0 },
      current: { root: null, intermediate: null, content: null },
    });
    await Promise.all([barrier.unseal(), barrier.unseal()]);
    await barrier.unseal();
    expect(barrier.state).toBe('unsealed');
    const status = await barrier.status();
    expect(status).toMatchObject({
      sealed: false,
      initialized: true,
      keyCounts: { root: 1, intermediate: 1, content: 1 },
    });
    const view = barrier.view('kms/tenant-1');
    const jwe = await view.encrypt(text('payload'));
    expect(decodeProtectedHeader(jwe).kid).toBe(status.current.content);
    expect(await view.decrypt(jwe)).toEqual(text('payload'));
  });

  it('sealed: every operation fails with code sealed; seal() forgets the keys', async () => {
    const barrier = createBarrier({ store: await memoryStore(), source: createDevUnsealSource() });
    const view = barrier.view('jose');
    await expect(view.encrypt(text('x'))).rejects.toMatchObject(sealed);
    await expect(barrier.rotate('content', 'test')).rejects.toMatchObject(sealed);
    await barrier.unseal();
    const jwe = await view.encrypt(text('x'));
    barrier.seal();
    expect(barrier.state).toBe('sealed');
    await expect(view.decrypt(jwe)).rejects.toMatchObject(sealed);
    await expect(view.encrypt(text('x'))).rejects.toMatchObject(sealed);
    await barrier.unseal();
    expect(await view.decrypt(jwe)).toEqual(text('x'));
  });

  it('seal() during an unseal wins: the barrier stays sealed', async () => {
    const barrier = createBarrier({ store: await memoryStore(), source: createDevUnsealSource() });
    const unsealing = barrier.unseal();
    barrier.seal();
    await expect(unsealing).rejects.toMatchObject({
      code: 'sealed',
      message: 'the barrier was sealed during unseal',
    });
    expect(barrier.state).toBe('sealed');
    await barrier.unseal();
    expect(barrier.state).toBe('unsealed');
  });

  it('rotation at every level keeps old data readable and encrypts new data under the new key', async () => {
    const barrier = createBarrier({ store: await memoryStore(), source: createDevUnsealSource() });
    await barrier.unseal();
    const view = barrier.view('ca');
    const before = await view.encrypt(text('before'));
    const root = await barrier.rotate('root', 'yearly');
    const intermediate = await barrier.rotate('intermediate', ' quarterly ');
    const content = await barrier.rotate('content', 'monthly');
    const after = await view.encrypt(text('after'));
    expect(decodeProtectedHeader(after).kid).toBe(content);
    expect(await barrier.status()).toMatchObject({
      keyCounts: { root: 2, intermediate: 2, content: 2 },
      current: { root, intermediate, content },
    });
    barrier.seal();
    await barrier.unseal();
    expect(await view.decrypt(before)).toEqual(text('before'));
    expect(await view.decrypt(after)).toEqual(text('after'));
  });

  it('rejects an unknown level and an empty or oversize reason', async () => {
    const barrier = createBarrier({ store: await memoryStore(), source: createDevUnsealSource() });
    await barrier.unseal();
    await expect(barrier.rotate('data' as 'root', 'x')).rejects.toThrow(
      new TypeError('unknown key level data'),
    );
    await expect(barrier.rotate('root', ' ')).rejects.toThrow(
      new TypeError('a rotation needs a reason of 1-500 characters'),
    );
    await expect(barrier.rotate('root', 'x'.repeat(501))).rejects.toThrow(TypeError);
  });

  it('another dev key cannot open the store, and nothing is overwritten', async () => {
    const store = await memoryStore();
    const first = createBarrier({ store, source: createDevUnsealSource() });
    await first.unseal();
    const status = await first.status();
    const second = createBarrier({ store, source: createDevUnsealSource() });
    await expect(second.unseal()).rejects.toMatchObject({
      code: 'unseal-failed',
      message: 'the unseal keys do not open this barrier',
    });
    expect(second.state).toBe('sealed');
    expect(await second.status()).toMatchObject({
      keyCounts: status.keyCounts,
      current: status.current,
    });
  });

  it('caches unwrapped keys: a hot content key costs no store read', async () => {
    let clock = 0;
    const { store, calls } = counting(await memoryStore());
    const barrier = createBarrier({
      store,
      source: createDevUnsealSource(),
      now: () => clock,
      currentKeyTtlMs: 100,
    });
    await barrier.unseal();
    const view = barrier.view('kms');
    const jwe = await view.encrypt(text('warm'));
    calls.length = 0;
    await view.encrypt(text('hot'));
    await view.decrypt(jwe);
    expect(calls).toEqual([]);
    clock = 100;
    await view.encrypt(text('refresh'));
    expect(calls).toEqual(['currentKey']);
  });

  it('bounds the cache: evicted keys are unwrapped again from the store', async () => {
    const { store, calls } = counting(await memoryStore());
    const barrier = createBarrier({ store, source: createDevUnsealSource(), cacheSize: 1 });
    await barrier.unseal();
    const view = barrier.view('kms');
    const old = await view.encrypt(text('old'));
    await barrier.rotate('content', 'test');
    await view.encrypt(text('new'));
    calls.length = 0;
    expect(await view.decrypt(old)).toEqual(text('old'));
    expect(calls).toEqual(['findKey', 'findKey']);
  });

  it('unseal() and share calls refuse the wrong mode', async () => {
    const dev = createBarrier({ store: await memoryStore(), source: createDevUnsealSource() });
    await expect(dev.unsealWithShares('x')).rejects.toMatchObject({
      code: 'wrong-mode',
      message: 'this barrier unseals only in shares mode',
    });
    await expect(dev.initShares({ shares: 3, threshold: 2 })).rejects.toMatchObject({
      code: 'wrong-mode',
    });
    const shares = createBarrier({
      store: await memoryStore(),
      source: createSharesUnsealSource(),
    });
    await expect(shares.unseal()).rejects.toMatchObject({
      code: 'wrong-mode',
      message: 'this barrier unseals by submitting shares (unsealWithShares)',
    });
  });
});
