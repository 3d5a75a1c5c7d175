// The resolver's hot path: one database read per key while fresh, shared by concurrent
// requests when the entry expires, and never caching an answer that a write made stale.
import { describe, expect, it } from 'vitest';
import type { LoadedKey } from '../crypto/index.js';
import type { ElasticKey } from '../domain/elastic-key.js';
import type { KmsStore } from '../domain/kms-store.js';
import type { SealedMaterialKey } from '../domain/material-key.js';
import { createKeyResolver } from './key-resolver.js';
import type { MaterialVault } from './material-vault.js';

const key = { id: 'k1', tenantId: 't', status: 'active', algorithm: 'A256GCM/dir' } as ElasticKey;
const version = { id: 'v1', status: 'active' } as SealedMaterialKey;

function fixture() {
  const reads = { keys: 0, primaries: 0 };
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const store = {
    elasticKeys: {
      get: async () => {
        reads.keys += 1;
        await gate;
        return key;
      },
    },
    materialKeys: {
      primary: () => {
        reads.primaries += 1;
        return Promise.resolve(version);
      },
    },
  } as unknown as KmsStore;
  const vault = {
    load: (sealed: SealedMaterialKey) => Promise.resolve({ kid: sealed.id } as LoadedKey),
    isUnsealed: () => true,
  } as unknown as MaterialVault;
  let clock = 0;
  const resolver = createKeyResolver({
    store,
    vault,
    ttlMs: 1000,
    maxEntries: 10,
    now: () => clock,
  });
  return {
    resolver,
    reads,
    hold: () => {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
    tick: (ms: number) => (clock += ms),
  };
}

describe('createKeyResolver activePrimary', () => {
  it('reads once while fresh and again after the TTL', async () => {
    const f = fixture();
    expect((await f.resolver.activePrimary('t', 'k1')).primary.kid).toBe('v1');
    await f.resolver.activePrimary('t', 'k1');
    expect(f.reads).toEqual({ keys: 1, primaries: 1 });
    f.tick(1000);
    await f.resolver.activePrimary('t', 'k1');
    expect(f.reads).toEqual({ keys: 2, primaries: 2 });
  });

  it('shares one refresh between concurrent requests', async () => {
    const f = fixture();
    f.hold();
    const all = Promise.all([1, 2, 3].map(() => f.resolver.activePrimary('t', 'k1')));
    f.release();
    expect((await all).map((r) => r.primary.kid)).toEqual(['v1', 'v1', 'v1']);
    expect(f.reads.keys).toBe(1);
  });

  it('does not cache a refresh that an invalidate overtook', async () => {
    const f = fixture();
    f.hold();
    const first = f.resolver.activePrimary('t', 'k1');
    f.resolver.invalidate('t', 'k1');
    f.release();
    await first;
    await f.resolver.activePrimary('t', 'k1');
    expect(f.reads.keys).toBe(2);
  });
});
