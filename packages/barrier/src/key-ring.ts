// The unsealed key chain in memory: the unseal keys and root keys (few, held while unsealed),
// and a bounded cache of intermediate and content keys unwrapped on demand by walking the
// `kid` chain (data → content → intermediate → root). The current content key is re-read from
// the store after `currentKeyTtlMs`, so a rotation made by another instance is picked up.
import { randomBytes } from 'node:crypto';
import { uuidv7 } from '@cryptoutil/db';
import { BarrierError } from './barrier-error.js';
import type { BarrierStore, KeyLevel, KeyRecord } from './barrier-store.js';
import { createKeyCache } from './key-cache.js';
import {
  KEY_BYTES,
  importAesKey,
  unwrapKey,
  wrapKey,
  type AesKey,
  type CryptoKey,
} from './key-jwe.js';
import type { UnsealKey } from './unseal-key-source.js';

export interface Key {
  readonly kid: string;
  readonly key: AesKey;
}

export interface KeyRingOptions {
  readonly store: BarrierStore;
  readonly unsealKeys: readonly UnsealKey[];
  readonly roots: ReadonlyMap<string, CryptoKey>;
  readonly now: () => number;
  readonly cacheSize: number;
  readonly currentKeyTtlMs: number;
}

export interface KeyRing {
  currentContentKey(): Promise<Key>;
  contentKey(kid: string): Promise<CryptoKey | undefined>;
  /** Creates, wraps and stores a new current key of `level`; returns its kid. */
  rotate(level: KeyLevel, reason: string): Promise<string>;
  /** Zeroes the unseal keys and forgets every key. */
  wipe(): void;
}

export function newKey(): { readonly kid: string; readonly key: Uint8Array } {
  return { kid: uuidv7(), key: new Uint8Array(randomBytes(KEY_BYTES)) };
}

export interface KeyMeta {
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly reason: string;
}

/** A current key record for `key` wrapped by `parent`. */
export async function wrapRecord(
  key: { readonly kid: string; readonly key: Uint8Array },
  parent: Key,
  meta: KeyMeta,
): Promise<KeyRecord> {
  const jwe = await wrapKey(key, parent);
  return { id: key.kid, parentKid: parent.kid, jwe, ...meta, rotatedAt: null };
}

export function createKeyRing(options: KeyRingOptions): KeyRing {
  const { store, now } = options;
  const unsealKeys = options.unsealKeys.map((u) => ({ kid: u.kid, key: u.key.slice() }));
  const roots = new Map(options.roots);
  const cache = createKeyCache<CryptoKey>(options.cacheSize);
  let current: { readonly kid: string; readonly expiresAt: number } | undefined;

  async function rootKey(kid: string): Promise<CryptoKey | undefined> {
    if (!roots.has(kid)) {
      // A root rotated by another instance since this one unsealed.
      for (const row of await store.findRootKeys(unsealKeys.map((u) => u.kid))) {
        const parent = unsealKeys.find((u) => u.kid === row.parentKid);
        if (row.id === kid && parent) roots.set(kid, await unwrapKey(row.jwe, kid, parent.key));
      }
    }
    return roots.get(kid);
  }

  async function chainKey(
    level: 'intermediate' | 'content',
    kid: string,
  ): Promise<CryptoKey | undefined> {
    const cached = cache.get(kid);
    if (cached) return cached;
    const record = await store.findKey(level, kid);
    if (!record) return undefined;
    const parent =
      level === 'content'
        ? await chainKey('intermediate', record.parentKid)
        : await rootKey(record.parentKid);
    if (!parent) return undefined;
    const key = await unwrapKey(record.jwe, kid, parent);
    cache.set(kid, key);
    return key;
  }
  async function currentKid(level: KeyLevel): Promise<string> {
    const record = await store.currentKey(level);
    if (!record) throw new Error(`the barrier store has no current ${level} key`);
    return record.id;
  }

  async function parentOf(level: KeyLevel): Promise<Key[]> {
    if (level === 'root') {
      // The new root must open with every unseal key that opens the current one (e.g. all
      // M-of-N combinations), or an operator holding other files would be locked out.
      const held = new Set(unsealKeys.map((u) => u.kid));
      const missing = (await store.rootKeyParents(await currentKid('root'))).filter(
        (k) => !held.has(k),
      );
      if (missing.length > 0) {
        throw new BarrierError(
          'unseal-keys-incomplete',
          `rotating the root key needs every unseal key; ${missing.length} of them are not present`,
        );
      }
      return unsealKeys.map((u) => ({ kid: u.kid, key: u.key.slice() }));
    }
    const kid = await currentKid(level === 'content' ? 'intermediate' : 'root');
    const key = level === 'content' ? await chainKey('intermediate', kid) : await rootKey(kid);
    if (!key) throw new Error(`the current parent of the ${level} key cannot be unwrapped`);
    return [{ kid, key }];
  }

  return {
    async currentContentKey() {
      const at = now();
      if (!current || at >= current.expiresAt) {
        current = { kid: await currentKid('content'), expiresAt: at + options.currentKeyTtlMs };
      }
      const key = await chainKey('content', current.kid);
      if (!key) throw new Error('the current content key cannot be unwrapped');
      return { kid: current.kid, key };
    },
    contentKey: (kid) => chainKey('content', kid),
    async rotate(level, reason) {
      const key = newKey();
      const parents = await parentOf(level);
      const createdAt = now();
      const records = await Promise.all(
        parents.map((p) => wrapRecord(key, p, { createdAt, reason })),
      );
      await store.rotate(level, records, createdAt);
      const imported = await importAesKey(key.key);
      key.key.fill(0);
      if (level === 'root') roots.set(key.kid, imported);
      else cache.set(key.kid, imported);
      current = undefined;
      return key.kid;
    },
    wipe() {
      for (const u of unsealKeys) u.key.fill(0);
      roots.clear();
      unsealKeys.length = 0;
      cache.clear();
      current = undefined;
    },
  };
}
