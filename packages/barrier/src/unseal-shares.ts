// Shamir secret sharing of the unseal key (`shares` mode, as Vault's unseal keys): init splits
// a fresh random key into N shares of which M reconstruct it, returns them once and keeps none;
// operators then submit shares one at a time to a collector that reports progress and combines
// them when M are in. Shares are `shamir-secret-sharing` output: 32 key bytes then the x byte.
import { randomBytes } from 'node:crypto';
import { base64url } from 'jose';
import { combine, split } from 'shamir-secret-sharing';
import { BarrierError } from './barrier-error.js';
import { KEY_BYTES } from './key-jwe.js';
import { kidForKey, type UnsealKey } from './unseal-key-source.js';

const SHARE_BYTES = KEY_BYTES + 1;

export interface InitSharesOptions {
  /** N: how many shares to make (2-255). */
  readonly shares: number;
  /** M: how many shares unseal (2-N). */
  readonly threshold: number;
}

export interface SplitUnsealKey {
  readonly unsealKey: UnsealKey;
  /** base64url shares, to hand to N operators once. */
  readonly shares: readonly string[];
}

export async function splitUnsealKey(options: InitSharesOptions): Promise<SplitUnsealKey> {
  const { shares, threshold } = options;
  if (!Number.isSafeInteger(shares) || shares < 2 || shares > 255) {
    throw new TypeError('shares must be between 2 and 255');
  }
  if (!Number.isSafeInteger(threshold) || threshold < 2 || threshold > shares) {
    throw new TypeError(`threshold must be between 2 and ${shares}`);
  }
  const key = new Uint8Array(randomBytes(KEY_BYTES));
  const parts = await split(key, shares, threshold);
  return { unsealKey: { kid: kidForKey('shares', key), key }, shares: parts.map(base64url.encode) };
}

export interface ShareProgress {
  readonly progress: number;
  readonly threshold: number;
}

export interface ShareCollector {
  progress(): ShareProgress;
  /** Adds one share; resolves to the combined key once `threshold` shares are in. */
  add(share: string): Promise<UnsealKey | undefined>;
  reset(): void;
}

export function createShareCollector(threshold: number): ShareCollector {
  let shares: Uint8Array[] = [];
  return {
    progress: () => ({ progress: shares.length, threshold }),
    async add(share) {
      const bytes = decodeShare(share);
      const x = bytes[KEY_BYTES];
      if (shares.some((s) => s[KEY_BYTES] === x)) {
        throw new BarrierError('duplicate-share', 'this share was already submitted');
      }
      shares.push(bytes);
      if (shares.length < threshold) return undefined;
      const submitted = shares;
      shares = [];
      const key = await combine(submitted);
      return { kid: kidForKey('shares', key), key };
    },
    reset() {
      shares = [];
    },
  };
}

function decodeShare(share: string): Uint8Array {
  let bytes: Uint8Array | undefined;
  try {
    bytes = typeof share === 'string' ? base64url.decode(share.trim()) : undefined;
  } catch {
    bytes = undefined;
  }
  if (bytes?.length !== SHARE_BYTES || bytes[KEY_BYTES] === 0) {
    throw new BarrierError('invalid-share', `a share is ${SHARE_BYTES} base64url-encoded bytes`);
  }
  return bytes;
}
