// The barrier's `shares` mode flow (as Vault's init and unseal): init splits a fresh unseal key
// over an empty store and hands the shares out once; submissions are collected until the
// threshold stored at init is reached, then the combined key must open the root key, or the
// progress is reset so operators start again.
import type { BarrierStore } from './barrier-store.js';
import { BarrierError } from './barrier-error.js';
import { initializeStore } from './root-keys.js';
import type { UnsealKey } from './unseal-key-source.js';
import {
  createShareCollector,
  splitUnsealKey,
  type InitSharesOptions,
  type ShareCollector,
  type ShareProgress,
} from './unseal-shares.js';

export interface SharesUnsealResult extends ShareProgress {
  readonly sealed: boolean;
}

export interface SharesUnsealerOptions {
  readonly store: BarrierStore;
  readonly now: () => number;
  /** Opens the barrier with a reconstructed key; throws BarrierError when it does not fit. */
  readonly open: (keys: readonly UnsealKey[]) => Promise<void>;
  readonly isUnsealed: () => boolean;
}

export interface SharesUnsealer {
  init(
    options: InitSharesOptions,
  ): Promise<{ readonly shares: readonly string[]; readonly threshold: number }>;
  submit(share: string): Promise<SharesUnsealResult>;
  /** Shares submitted so far, for a store initialised with `threshold`. */
  progress(threshold: number): ShareProgress;
  reset(): void;
}

export function createSharesUnsealer(options: SharesUnsealerOptions): SharesUnsealer {
  const { store, now } = options;
  let collector: ShareCollector | undefined;
  return {
    async init(init) {
      if (await store.loadState()) {
        throw new BarrierError('already-initialized', 'the barrier is already initialised');
      }
      const { unsealKey, shares } = await splitUnsealKey(init);
      try {
        await initializeStore({
          store,
          keys: [unsealKey],
          now,
          mode: 'shares',
          threshold: init.threshold,
        });
      } finally {
        unsealKey.key.fill(0);
      }
      return { shares, threshold: init.threshold };
    },
    async submit(share) {
      const state = await store.loadState();
      if (!state)
        throw new BarrierError('not-initialized', 'the barrier has no keys yet: run init first');
      const threshold = state.threshold ?? 0;
      if (options.isUnsealed()) return { sealed: false, progress: 0, threshold };
      collector ??= createShareCollector(threshold);
      const key = await collector.add(share);
      if (!key) return { sealed: true, ...collector.progress() };
      try {
        await options.open([key]);
      } catch (err) {
        if (!(err instanceof BarrierError)) throw err;
        throw new BarrierError(
          'unseal-failed',
          'the submitted shares do not reconstruct the unseal key; progress was reset, submit them again',
        );
      } finally {
        key.key.fill(0);
      }
      return { sealed: false, progress: threshold, threshold };
    },
    progress: (threshold) => ({ progress: collector?.progress().progress ?? 0, threshold }),
    reset() {
      collector?.reset();
    },
  };
}
