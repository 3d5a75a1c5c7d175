// The barrier on SQLite and PostgreSQL: M-of-N secrets, JWK files, several instances on one
// database, wrong secrets that change nothing, and two instances initialising together.
import { randomBytes } from 'node:crypto';
import { runMigrations, type Database } from '@cryptoutil/db';
import { describeEachDialect } from '@cryptoutil/db/testing';
import { base64url, decodeProtectedHeader } from 'jose';
import { expect, it } from 'vitest';
import {
  barrierMigrations,
  createBarrier,
  createJwkUnsealSource,
  createKyselyBarrierStore,
  createSecretsUnsealSource,
  type BarrierTables,
} from '../src/index.js';

const secrets = [1, 2, 3].map(() => new Uint8Array(randomBytes(48)));
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const source = (files: readonly Uint8Array[]) =>
  createSecretsUnsealSource({ secrets: files, threshold: 2, total: 3 });

async function dump(database: Database<BarrierTables>): Promise<unknown[]> {
  const db = database.kysely;
  return Promise.all([
    db.selectFrom('barrier_state').selectAll().execute(),
    db.selectFrom('barrier_root_keys').selectAll().orderBy('parent_kid').execute(),
    db.selectFrom('barrier_intermediate_keys').selectAll().orderBy('id').execute(),
    db.selectFrom('barrier_content_keys').selectAll().orderBy('id').execute(),
  ]);
}

describeEachDialect('barrier', (ctx) => {
  async function open(url?: string): Promise<Database<BarrierTables>> {
    const database = await ctx.createDatabase<BarrierTables>(url ? { url } : { file: true });
    await runMigrations(database, barrierMigrations);
    return database;
  }

  it('2-of-3 secrets: every pair unseals and reads the same data; one file does not', async () => {
    const database = await open();
    const store = createKyselyBarrierStore(database);
    const init = createBarrier({ store, source: source(secrets) });
    await init.unseal();
    const jwe = await init.view('kms/tenant-1').encrypt(text('shared'));
    expect(await init.status()).toMatchObject({
      mode: 'secrets',
      keyCounts: { root: 1, intermediate: 1, content: 1 },
    });
    expect(
      await database.kysely.selectFrom('barrier_root_keys').select('id').execute(),
    ).toHaveLength(3);
    const [s1, s2, s3] = secrets as [Uint8Array, Uint8Array, Uint8Array];
    for (const pair of [
      [s1, s2],
      [s1, s3],
      [s3, s2],
    ]) {
      const barrier = createBarrier({ store, source: source(pair) });
      await barrier.unseal();
      expect(await barrier.view('kms/tenant-1').decrypt(jwe)).toEqual(text('shared'));
    }
    for (const single of secrets) {
      const barrier = createBarrier({ store, source: source([single]) });
      await expect(barrier.unseal()).rejects.toMatchObject({ code: 'unseal-failed' });
    }
  });

  it('two instances with the same secrets on one database share data and rotations', async () => {
    const url = await ctx.createUrl({ file: true });
    const [dbA, dbB] = [await open(url), await open(url)];
    const a = createBarrier({
      store: createKyselyBarrierStore(dbA),
      source: source(secrets),
      currentKeyTtlMs: 0,
    });
    const b = createBarrier({
      store: createKyselyBarrierStore(dbB),
      source: source([...secrets].reverse()),
    });
    await a.unseal();
    await b.unseal();
    const [viewA, viewB] = [a.view('jose'), b.view('jose')];
    expect(await viewB.decrypt(await viewA.encrypt(text('from a')))).toEqual(text('from a'));
    expect(await viewA.decrypt(await viewB.encrypt(text('from b')))).toEqual(text('from b'));
    // Rotations on A, including the root, are readable on B, which unsealed before them.
    await a.rotate('root', 'test');
    await a.rotate('intermediate', 'test');
    const content = await a.rotate('content', 'test');
    const rotated = await viewA.encrypt(text('after rotation'));
    expect(decodeProtectedHeader(rotated).kid).toBe(content);
    expect(await viewB.decrypt(rotated)).toEqual(text('after rotation'));
    expect((await b.status()).current.content).toBe(content);
  });

  it('wrong secrets fail clearly and overwrite nothing; an empty store needs every file', async () => {
    const database = await open();
    const store = createKyselyBarrierStore(database);
    const partial = createBarrier({ store, source: source(secrets.slice(0, 2)) });
    await expect(partial.unseal()).rejects.toMatchObject({
      code: 'unseal-failed',
      message: 'an empty barrier is initialised only with every unseal secret present',
    });
    expect(await partial.status()).toMatchObject({ initialized: false });
    await createBarrier({ store, source: source(secrets) }).unseal();
    const before = await dump(database);
    const others = [1, 2, 3].map(() => new Uint8Array(randomBytes(32)));
    const wrong = createBarrier({ store, source: source(others) });
    await expect(wrong.unseal()).rejects.toMatchObject({
      code: 'unseal-failed',
      message: 'the unseal keys do not open this barrier',
    });
    const jwk = createBarrier({
      store,
      source: createJwkUnsealSource([
        { kty: 'oct', k: base64url.encode(others[0] ?? new Uint8Array()) },
      ]),
    });
    await expect(jwk.unseal()).rejects.toMatchObject({
      code: 'wrong-mode',
      message: 'the barrier was initialised in secrets mode, not jwk',
    });
    expect(await dump(database)).toEqual(before);
  });

  it('root rotation needs every file, then every pair still unseals and reads new data', async () => {
    const store = createKyselyBarrierStore(await open());
    await createBarrier({ store, source: source(secrets) }).unseal();
    const pair = createBarrier({ store, source: source(secrets.slice(1)) });
    await pair.unseal();
    await expect(pair.rotate('root', 'test')).rejects.toMatchObject({
      code: 'unseal-keys-incomplete',
      message: 'rotating the root key needs every unseal key; 2 of them are not present',
    });
    const all = createBarrier({ store, source: source(secrets) });
    await all.unseal();
    const root = await all.rotate('root', 'compromise drill');
    await all.rotate('intermediate', 'after root');
    const jwe = await all.view('kms').encrypt(text('new chain'));
    const [s1, s2, s3] = secrets as [Uint8Array, Uint8Array, Uint8Array];
    for (const files of [
      [s1, s2],
      [s1, s3],
      [s2, s3],
    ]) {
      const barrier = createBarrier({ store, source: source(files) });
      await barrier.unseal();
      expect(await barrier.view('kms').decrypt(jwe)).toEqual(text('new chain'));
      expect((await barrier.status()).current.root).toBe(root);
    }
  });

  it('status and errors carry no key material', async () => {
    const store = createKyselyBarrierStore(await open());
    const barrier = createBarrier({ store, source: source(secrets) });
    await barrier.unseal();
    const keys = await source(secrets).keys();
    const wrong = await createBarrier({ store, source: source(secrets.slice(0, 1)) })
      .unseal()
      .catch((e: unknown) => e);
    const said = JSON.stringify([await barrier.status(), String(wrong), wrong]);
    for (const bytes of [...secrets, ...keys.map((k) => k.key)]) {
      expect(said).not.toContain(base64url.encode(bytes));
      expect(said).not.toContain(Buffer.from(bytes).toString('hex'));
    }
  });

  it('jwk mode: any one of the JWKs unseals', async () => {
    const jwks = [1, 2].map((i) => ({
      kty: 'oct',
      kid: `unseal-${i}`,
      k: base64url.encode(randomBytes(32)),
    }));
    const store = createKyselyBarrierStore(await open());
    const first = createBarrier({ store, source: createJwkUnsealSource(jwks) });
    await first.unseal();
    const jwe = await first.view('ca').encrypt(text('jwk'));
    for (const jwk of jwks) {
      const barrier = createBarrier({ store, source: createJwkUnsealSource([jwk]) });
      await barrier.unseal();
      expect(await barrier.view('ca').decrypt(jwe)).toEqual(text('jwk'));
    }
  });

  it('two instances initialising an empty store together end with one key chain', async () => {
    const url = await ctx.createUrl({ file: true });
    // Two SQLite handles in one process would block each other's event loop on the write
    // lock; SQLite instances are separate processes, so one handle stands for both here.
    const dbA = await open(url);
    const dbB = ctx.dialect === 'postgres' ? await open(url) : dbA;
    const [a, b] = [dbA, dbB].map((d) =>
      createBarrier({ store: createKyselyBarrierStore(d), source: source(secrets) }),
    );
    await Promise.all([a?.unseal(), b?.unseal()]);
    expect(await a?.status()).toMatchObject({
      sealed: false,
      keyCounts: { root: 1, intermediate: 1, content: 1 },
    });
    const jwe = await b?.view('kms').encrypt(text('race'));
    expect(await a?.view('kms').decrypt(jwe ?? '')).toEqual(text('race'));
  });
});
