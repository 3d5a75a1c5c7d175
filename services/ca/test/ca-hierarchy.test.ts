// The hierarchy over a real store and barrier (SQLite in memory), with an injected clock: made
// once and read back by a second instance, never remade; a CA's delegated OCSP responder is
// renewed once past half its life and not before; sealing the barrier stops signing; a broken
// import is the operator's problem (an internal error), not the caller's. Then the CRL schedule:
// a served CRL is regenerated (a new CRL number) once it nears its nextUpdate, not before.
import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  barrierMigrations,
  createBarrier,
  createDevUnsealSource,
  createKyselyBarrierStore,
  isBarrierError,
  type Barrier,
  type BarrierTables,
} from '@cryptoutil/barrier';
import { createDatabase, runMigrations, type Database } from '@cryptoutil/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caConfigSchema } from '../src/config.js';
import { certificateInfo } from '../src/crypto/ca-certificates.js';
import { caMigrations } from '../src/index.js';
import { createCaKeyVault } from '../src/service/ca-key-vault.js';
import { createCrlPublisher } from '../src/service/crl-publisher.js';
import { createRevisions } from '../src/service/revisions.js';
import { caUrlsOf } from '../src/service/ca-urls.js';
import { createHierarchy, type Hierarchy } from '../src/service/hierarchy.js';
import { createCaStore, type CaStore } from '../src/store/ca-store.js';

const T0 = Date.UTC(2026, 10, 30);
const DAY = 86_400_000;
let clock = T0;
let database: Database<unknown>;
let store: CaStore;
let barrier: Barrier;
const definitions = caConfigSchema.parse({}).ca.hierarchy;
const urls = caUrlsOf('http://ca.test:8051');

function hierarchy(overrides: Partial<Parameters<typeof createHierarchy>[0]> = {}): Hierarchy {
  return createHierarchy({
    store,
    vault: createCaKeyVault(barrier),
    definitions,
    urls,
    responderValidityDays: 30,
    now: () => clock,
    ...overrides,
  });
}

beforeAll(async () => {
  database = createDatabase({ url: ':memory:' });
  await runMigrations(database, [...barrierMigrations, ...caMigrations]);
  store = createCaStore(database);
  barrier = createBarrier({
    store: createKyselyBarrierStore(database as Database<BarrierTables>),
    source: createDevUnsealSource(),
  });
  await barrier.unseal();
});
afterAll(() => database.destroy());

const responderOf = async (id: string) => (await store.authorities.get(id))?.ocsp?.certificate;

describe('the hierarchy', () => {
  it('is made once; a second instance reads the same CAs and responders', async () => {
    const first = hierarchy();
    await first.ready();
    const second = hierarchy();
    await second.ready();
    expect(second.list().map((a) => a.certificate)).toEqual(first.list().map((a) => a.certificate));
    expect(first.list().map((a) => [a.id, a.hasKey, a.issuing])).toEqual([
      ['root', true, false],
      ['issuing', true, true],
    ]);
    const issuing = first.get('issuing');
    expect(issuing.chain).toEqual([issuing.certificate, first.get('root').certificate]);
    expect(issuing.info.notBefore.getTime()).toBe(T0);
    expect(await responderOf('issuing')).toBeDefined();
    expect(() => first.get('nope')).toThrow('no CA nope');
    expect(() => first.issuer('root')).toThrow('CA root does not issue end-entity certificates');
    expect(first.issuer().id).toBe('issuing');
  });

  it('renews a delegated responder only past half its life', async () => {
    const h = hierarchy();
    await h.ready();
    const before = await responderOf('issuing');
    clock = T0 + 14 * DAY;
    expect(await h.renewResponders()).toBe(0);
    expect(await responderOf('issuing')).toEqual(before);
    clock = T0 + 16 * DAY;
    expect(await h.renewResponders()).toBe(2); // the root's and the issuing CA's
    const after = await responderOf('issuing');
    expect(after).not.toEqual(before);
    const info = certificateInfo(after as Uint8Array);
    expect(info.notBefore.getTime()).toBe(T0 + 16 * DAY);
    expect(info.notAfter.getTime()).toBe(T0 + 46 * DAY - 1000);
    const responder = await h.get('issuing').ocspResponder();
    expect(responder?.certificate).toEqual(after);
    expect(await h.renewResponders()).toBe(0);
  });

  it('stops signing while sealed, and signs again once unsealed', async () => {
    const h = hierarchy();
    await h.ready();
    barrier.seal();
    try {
      await expect(h.get('issuing').signer()).rejects.toSatisfy((err) =>
        isBarrierError(err, 'sealed'),
      );
      expect(() => h.assertUnsealed()).toThrow('the barrier is sealed');
    } finally {
      await barrier.unseal();
    }
    const signer = await h.get('issuing').signer();
    expect(signer.privateKey.extractable).toBe(false);
  });

  it('turns a broken import into an internal error naming the cause, not a caller error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cu-ca-hierarchy-'));
    writeFileSync(join(dir, 'not-a-cert.pem'), 'hello');
    const broken = hierarchy({
      definitions: [
        ...definitions,
        {
          id: 'imported',
          parent: 'root',
          subject: 'CN=Imported',
          key: { kty: 'EC', curve: 'P-256' },
          validityDays: 10,
          issuing: true,
          import: { certificateFile: join(dir, 'not-a-cert.pem') },
        },
      ],
    });
    const failure = await broken.ready().then(
      () => undefined,
      (err: unknown) => err as Error & { cause?: Error },
    );
    expect(failure?.message).toBe('the CA hierarchy could not be made');
    expect(failure?.cause?.message).toMatch(/CERTIFICATE/);
  });
});

describe('the CRL schedule', () => {
  it('regenerates a served CRL refreshBeforeHours before its nextUpdate, and not earlier', async () => {
    clock = T0 + 20 * DAY;
    const h = hierarchy();
    await h.ready();
    const crls = createCrlPublisher({
      store,
      hierarchy: h,
      revisions: createRevisions(store),
      urls,
      partitions: 4,
      validityHours: 24,
      refreshBeforeHours: 6,
      now: () => clock,
    });
    const first = await crls.get('issuing', 2);
    expect(first.thisUpdate.getTime()).toBe(clock);
    expect(first.nextUpdate.getTime()).toBe(clock + DAY);
    expect(await crls.get('issuing', 2)).toBe(first);
    clock += 18 * 3_600_000 - 1000;
    expect(await crls.refreshDue()).toBe(0);
    clock += 1000;
    expect(await crls.refreshDue()).toBe(1);
    const second = await crls.get('issuing', 2);
    expect(second.crlNumber).toBe(first.crlNumber + 1n);
    expect(second.thisUpdate.getTime()).toBe(clock);
    await expect(crls.get('issuing', 4)).rejects.toThrow('CA issuing has no CRL partition 4');
    await expect(crls.get('root', 0)).rejects.toThrow('CA root has no CRL partition 0');
  });
});
