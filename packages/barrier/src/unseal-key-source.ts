// Where unseal keys come from (ARCHITECTURE §4). A source yields one or more 256-bit keys, each
// with a stable kid that names it in the root key rows it wraps; the keys themselves are never
// stored. `dev`, `secrets` and `jwk` sources are built here and in the sibling files; `shares`
// keys come from operators through `Barrier.unsealWithShares`.
import { createHash, randomBytes } from 'node:crypto';
import { base64url } from 'jose';
import { KEY_BYTES } from './key-jwe.js';

export type UnsealMode = 'dev' | 'secrets' | 'jwk' | 'shares';

export interface UnsealKey {
  readonly kid: string;
  readonly key: Uint8Array;
}

export interface UnsealKeySource {
  readonly mode: UnsealMode;
  /** The unseal keys this source can offer now. */
  keys(): Promise<readonly UnsealKey[]>;
  /**
   * False when the source can unseal but must not initialise an empty store (e.g. only M of N
   * secret files are present, so the root key would not be wrapped for every combination).
   */
  readonly canInitialize: boolean;
}

/**
 * A kid derived from the key: a truncated SHA-256 of it. Preimage resistance keeps the key
 * secret; the same key yields the same kid on every instance.
 */
export function kidForKey(mode: UnsealMode, key: Uint8Array): string {
  const digest = createHash('sha256').update(key).digest().subarray(0, 16);
  return `${mode}-${base64url.encode(digest)}`;
}

/**
 * Dev mode: one random key held only in memory, so data is lost when the process exits.
 * Callers must warn loudly at start.
 */
export function createDevUnsealSource(): UnsealKeySource {
  const key = new Uint8Array(randomBytes(KEY_BYTES));
  const unsealKey = { kid: kidForKey('dev', key), key };
  return {
    mode: 'dev',
    canInitialize: true,
    keys: () => Promise.resolve([unsealKey]),
  };
}

/**
 * Shares mode: keys come from operators through `Barrier.initShares` and
 * `Barrier.unsealWithShares`, never from the source, and never from storage.
 */
export function createSharesUnsealSource(): UnsealKeySource {
  return { mode: 'shares', canInitialize: false, keys: () => Promise.resolve([]) };
}
