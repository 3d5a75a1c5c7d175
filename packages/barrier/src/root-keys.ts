// The top of the key chain: initialising an empty store (a root key wrapped once per unseal
// key, then the first intermediate and content keys) and proving that unseal keys open a stored
// root key. Opening never writes, so wrong unseal keys cannot overwrite a barrier.
import type { BarrierStore } from './barrier-store.js';
import { BarrierError } from './barrier-error.js';
import { newKey, wrapRecord } from './key-ring.js';
import { unwrapKey, type CryptoKey } from './key-jwe.js';
import type { UnsealKey, UnsealMode } from './unseal-key-source.js';

export interface InitializeStoreOptions {
  readonly store: BarrierStore;
  readonly keys: readonly UnsealKey[];
  readonly now: () => number;
  readonly mode: UnsealMode;
  readonly threshold: number | null;
}

/** Writes the first keys; resolves false when another instance initialised the store first. */
export async function initializeStore(options: InitializeStoreOptions): Promise<boolean> {
  const { store, keys, mode, threshold } = options;
  const createdAt = options.now();
  const meta = { createdAt, reason: 'initial' };
  const [root, intermediate, content] = [newKey(), newKey(), newKey()];
  try {
    return await store.initialize(
      { mode, threshold, createdAt },
      {
        root: await Promise.all(keys.map((u) => wrapRecord(root, u, meta))),
        intermediate: await wrapRecord(intermediate, root, meta),
        content: await wrapRecord(content, intermediate, meta),
      },
    );
  } finally {
    for (const k of [root, intermediate, content]) k.key.fill(0);
  }
}

/**
 * Unwraps every stored root key that one of `keys` wraps. Throws BarrierError `unseal-failed`
 * when none opens: wrong secrets, JWKs or shares.
 */
export async function openRootKeys(
  store: BarrierStore,
  keys: readonly UnsealKey[],
): Promise<Map<string, CryptoKey>> {
  const roots = new Map<string, CryptoKey>();
  for (const row of await store.findRootKeys(keys.map((k) => k.kid))) {
    const parent = keys.find((k) => k.kid === row.parentKid);
    if (!parent || roots.has(row.id)) continue;
    try {
      roots.set(row.id, await unwrapKey(row.jwe, row.id, parent.key));
    } catch {
      // A row that does not open is skipped: another row may, and none opening fails below.
    }
  }
  if (roots.size === 0) {
    throw new BarrierError('unseal-failed', 'the unseal keys do not open this barrier');
  }
  return roots;
}
