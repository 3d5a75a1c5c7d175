// The barrier (ARCHITECTURE §4): sealed until an unseal key source opens the root key, then
// hands out prefix-scoped views that encrypt under the current content key. The first unseal
// of an empty store creates the root, intermediate and content keys; later unseals only prove
// the unseal keys open a stored root key and never overwrite anything.
import { KEY_LEVELS, type BarrierStore, type KeyLevel } from './barrier-store.js';
import { BarrierError } from './barrier-error.js';
import { createBarrierView, type BarrierView } from './barrier-view.js';
import { createKeyRing, type KeyRing } from './key-ring.js';
import { initializeStore, openRootKeys } from './root-keys.js';
import { createSharesUnsealer, type SharesUnsealResult } from './shares-unsealer.js';
import type { InitSharesOptions, ShareProgress } from './unseal-shares.js';
import type { UnsealKey, UnsealKeySource, UnsealMode } from './unseal-key-source.js';

export interface CreateBarrierOptions {
  readonly store: BarrierStore;
  readonly source: UnsealKeySource;
  /** Clock in epoch milliseconds (tests inject one). */
  readonly now?: () => number;
  /** Unwrapped intermediate and content keys kept in memory; default 1024. */
  readonly cacheSize?: number;
  /** How long the current content key is used before the store is asked again; default 5 s. */
  readonly currentKeyTtlMs?: number;
}

export type BarrierState = 'sealed' | 'unsealed';

export interface BarrierStatus {
  readonly sealed: boolean;
  readonly mode: UnsealMode;
  readonly initialized: boolean;
  readonly keyCounts: Readonly<Record<KeyLevel, number>>;
  readonly current: Readonly<Record<KeyLevel, string | null>>;
  /** Shares mode while sealed: shares submitted so far. */
  readonly shares?: ShareProgress;
}

export interface Barrier {
  readonly state: BarrierState;
  unseal(): Promise<void>;
  /** Shares mode: splits a new unseal key over an empty store; returns the shares once. */
  initShares(
    options: InitSharesOptions,
  ): Promise<{ readonly shares: readonly string[]; readonly threshold: number }>;
  /** Shares mode: submits one share; unseals when the threshold is reached. */
  unsealWithShares(share: string): Promise<SharesUnsealResult>;
  seal(): void;
  status(): Promise<BarrierStatus>;
  /** Makes a new current key at `level`; older keys stay for decryption. Returns the new kid. */
  rotate(level: KeyLevel, reason: string): Promise<string>;
  view(prefix: string): BarrierView;
}

export function createBarrier(options: CreateBarrierOptions): Barrier {
  const { store, source } = options;
  const now = options.now ?? Date.now;
  let ring: KeyRing | undefined;
  let pending: Promise<void> | undefined;

  const unsealed = (): KeyRing => {
    if (!ring) throw new BarrierError('sealed', 'the barrier is sealed');
    return ring;
  };
  const requireMode = (shares: boolean): void => {
    if ((source.mode === 'shares') !== shares) {
      const hint = shares ? 'only in shares mode' : 'by submitting shares (unsealWithShares)';
      throw new BarrierError('wrong-mode', `this barrier unseals ${hint}`);
    }
  };
  // Bumped by seal(), so an unseal that was in flight when seal() ran does not reopen it.
  let generation = 0;
  const open = async (keys: readonly UnsealKey[]): Promise<void> => {
    const roots = await openRootKeys(store, keys);
    ring = createKeyRing({
      store,
      unsealKeys: keys,
      roots,
      now,
      cacheSize: options.cacheSize ?? 1024,
      currentKeyTtlMs: options.currentKeyTtlMs ?? 5000,
    });
  };
  const guarded = async <T>(attempt: () => Promise<T>): Promise<T> => {
    const started = generation;
    const result = await attempt();
    if (started !== generation) {
      ring?.wipe();
      ring = undefined;
      throw new BarrierError('sealed', 'the barrier was sealed during unseal');
    }
    return result;
  };
  const shares = createSharesUnsealer({ store, now, open, isUnsealed: () => ring !== undefined });

  return {
    get state() {
      return ring ? 'unsealed' : 'sealed';
    },
    async unseal() {
      requireMode(false);
      if (ring) return;
      // Concurrent callers share one attempt.
      pending ??= unsealWith({ store, source, now }, open).finally(() => {
        pending = undefined;
      });
      const attempt = pending;
      await guarded(() => attempt);
    },
    async initShares(init) {
      requireMode(true);
      return shares.init(init);
    },
    async unsealWithShares(share) {
      requireMode(true);
      return guarded(() => shares.submit(share));
    },
    seal() {
      generation += 1;
      ring?.wipe();
      ring = undefined;
      shares.reset();
    },
    async status() {
      const state = await store.loadState();
      const status = await readStatus(store, {
        mode: source.mode,
        sealed: !ring,
        initialized: !!state,
      });
      if (source.mode !== 'shares' || ring || !state) return status;
      return { ...status, shares: shares.progress(state.threshold ?? 0) };
    },
    async rotate(level, reason) {
      if (!KEY_LEVELS.includes(level)) throw new TypeError(`unknown key level ${String(level)}`);
      if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 500) {
        throw new TypeError('a rotation needs a reason of 1-500 characters');
      }
      return unsealed().rotate(level, reason.trim());
    },
    view(prefix) {
      return createBarrierView(prefix, {
        current: () => unsealed().currentContentKey(),
        get: (kid) => unsealed().contentKey(kid),
      });
    },
  };
}

/** Non-shares unseal: initialise an empty store, or check the mode, then open the root. */
async function unsealWith(
  context: {
    readonly store: BarrierStore;
    readonly source: UnsealKeySource;
    readonly now: () => number;
  },
  open: (keys: readonly UnsealKey[]) => Promise<void>,
): Promise<void> {
  const { store, source, now } = context;
  const keys = await source.keys();
  const state = await store.loadState();
  if (!state) {
    if (!source.canInitialize) {
      throw new BarrierError(
        'unseal-failed',
        'an empty barrier is initialised only with every unseal secret present',
      );
    }
    await initializeStore({ store, keys, now, mode: source.mode, threshold: null });
  } else if (state.mode !== source.mode) {
    throw new BarrierError(
      'wrong-mode',
      `the barrier was initialised in ${state.mode} mode, not ${source.mode}`,
    );
  }
  await open(keys);
}

async function readStatus(
  store: BarrierStore,
  base: Pick<BarrierStatus, 'mode' | 'sealed' | 'initialized'>,
): Promise<BarrierStatus> {
  const current = await Promise.all(
    KEY_LEVELS.map(async (l) => (await store.currentKey(l))?.id ?? null),
  );
  const [root = null, intermediate = null, content = null] = current;
  return { ...base, keyCounts: await store.countKeys(), current: { root, intermediate, content } };
}
