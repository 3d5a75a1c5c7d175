// Shares mode end to end over in-memory SQLite: init hands out shares once, operators submit
// M of them, progress, duplicates and wrong shares are reported, and nothing is stored.
import { createDatabase, runMigrations, type Database } from '@cryptoutil/db';
import { afterEach, describe, expect, it } from 'vitest';
import { barrierMigrations } from './barrier-migrations.js';
import { createBarrier, type Barrier } from './create-barrier.js';
import { createKyselyBarrierStore, type BarrierTables } from './kysely-barrier-store.js';
import { splitUnsealKey } from './unseal-shares.js';
import { createSharesUnsealSource } from './unseal-key-source.js';

const opened: Database<BarrierTables>[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.destroy()));
});

async function sharesBarrier(): Promise<{ barrier: Barrier; database: Database<BarrierTables> }> {
  const database = createDatabase<BarrierTables>({ url: ':memory:' });
  opened.push(database);
  await runMigrations(database, barrierMigrations);
  const barrier = createBarrier({
    store: createKyselyBarrierStore(database),
    source: createSharesUnsealSource(),
  });
  return { barrier, database };
}

describe('createBarrier (shares mode)', () => {
  it('init returns N shares once, stays sealed, and any M of them unseal', async () => {
    const { barrier, database } = await sharesBarrier();
    const { shares, threshold } = await barrier.initShares({ shares: 3, threshold: 2 });
    expect(threshold).toBe(2);
    expect(shares).toHaveLength(3);
    expect(barrier.state).toBe('sealed');
    const stored = JSON.stringify(
      await database.kysely.selectFrom('barrier_root_keys').selectAll().execute(),
    );
    for (const share of shares) expect(stored).not.toContain(share);
    expect(await barrier.status()).toMatchObject({
      sealed: true,
      initialized: true,
      shares: { progress: 0, threshold: 2 },
    });
    for (const [a, b] of [
      [0, 1],
      [0, 2],
      [2, 1],
    ] as const) {
      expect(await barrier.unsealWithShares(shares[a] ?? '')).toEqual({
        sealed: true,
        progress: 1,
        threshold: 2,
      });
      expect(await barrier.status()).toMatchObject({ shares: { progress: 1, threshold: 2 } });
      expect(await barrier.unsealWithShares(shares[b] ?? '')).toEqual({
        sealed: false,
        progress: 2,
        threshold: 2,
      });
      expect(barrier.state).toBe('unsealed');
      expect((await barrier.status()).shares).toBeUndefined();
      expect(await barrier.unsealWithShares(shares[a] ?? '')).toEqual({
        sealed: false,
        progress: 0,
        threshold: 2,
      });
      barrier.seal();
    }
  });

  it('rejects a duplicate share, and shares of another key reset the progress', async () => {
    const { barrier } = await sharesBarrier();
    const { shares } = await barrier.initShares({ shares: 3, threshold: 2 });
    const foreign = await splitUnsealKey({ shares: 3, threshold: 2 });
    await barrier.unsealWithShares(shares[0] ?? '');
    await expect(barrier.unsealWithShares(shares[0] ?? '')).rejects.toMatchObject({
      code: 'duplicate-share',
    });
    // A share's last byte is its x-coordinate; the two splits draw theirs at random, so pick a
    // foreign share whose x differs from the one submitted (else it is a duplicate: 1 in 255).
    const xOf = (share: string) => Buffer.from(share, 'base64url').at(-1);
    const other = foreign.shares.find((share) => xOf(share) !== xOf(shares[0] ?? ''));
    await expect(barrier.unsealWithShares(other ?? '')).rejects.toMatchObject({
      code: 'unseal-failed',
      message:
        'the submitted shares do not reconstruct the unseal key; progress was reset, submit them again',
    });
    expect(barrier.state).toBe('sealed');
    expect(await barrier.status()).toMatchObject({ shares: { progress: 0, threshold: 2 } });
    await barrier.unsealWithShares(shares[1] ?? '');
    expect(await barrier.unsealWithShares(shares[2] ?? '')).toMatchObject({ sealed: false });
  });

  it('seal() resets submitted shares', async () => {
    const { barrier } = await sharesBarrier();
    const { shares } = await barrier.initShares({ shares: 3, threshold: 3 });
    await barrier.unsealWithShares(shares[0] ?? '');
    barrier.seal();
    expect(await barrier.status()).toMatchObject({ shares: { progress: 0, threshold: 3 } });
  });

  it('refuses shares before init and a second init', async () => {
    const { barrier } = await sharesBarrier();
    await expect(barrier.unsealWithShares('x')).rejects.toMatchObject({
      code: 'not-initialized',
      message: 'the barrier has no keys yet: run init first',
    });
    expect((await barrier.status()).shares).toBeUndefined();
    await barrier.initShares({ shares: 2, threshold: 2 });
    await expect(barrier.initShares({ shares: 2, threshold: 2 })).rejects.toMatchObject({
      code: 'already-initialized',
      message: 'the barrier is already initialised',
    });
  });
});
