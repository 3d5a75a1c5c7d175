// M-of-N secret files (ARCHITECTURE §4): for each M-combination of the N secrets, sorted so the
// order of files does not matter, the unseal key is HKDF-SHA-256 (RFC 5869) over the
// concatenated secrets. The root key is wrapped once per combination, so any M files unseal and
// every instance with the same files derives the same keys.
import { hkdfSync } from 'node:crypto';
import { KEY_BYTES } from './key-jwe.js';
import { kidForKey, type UnsealKey, type UnsealKeySource } from './unseal-key-source.js';

const SALT = 'cryptoutil barrier unseal v1';
const INFO = 'cryptoutil barrier unseal key';
export const MIN_SECRET_BYTES = 32;
export const MAX_SECRET_BYTES = 64;

export interface SecretsUnsealOptions {
  /** The secret values present on this instance (32-64 bytes each). */
  readonly secrets: readonly Uint8Array[];
  /** M: how many secrets unseal. */
  readonly threshold: number;
  /** N: how many secrets exist (default: as many as given). Needed with all N to initialise. */
  readonly total?: number;
}

export function createSecretsUnsealSource(options: SecretsUnsealOptions): UnsealKeySource {
  const { secrets, threshold } = options;
  const total = options.total ?? secrets.length;
  if (!Number.isSafeInteger(threshold) || threshold < 1 || threshold > total) {
    throw new TypeError(`secrets threshold must be between 1 and ${total}`);
  }
  if (secrets.length > total) throw new TypeError(`more than ${total} secrets given`);
  secrets.forEach((s, i) => {
    if (s.length < MIN_SECRET_BYTES || s.length > MAX_SECRET_BYTES) {
      throw new TypeError(`secret ${i + 1} must be ${MIN_SECRET_BYTES}-${MAX_SECRET_BYTES} bytes`);
    }
  });
  const sorted = [...secrets].sort(compareBytes);
  if (sorted.some((s, i) => i > 0 && compareBytes(s, sorted[i - 1] as Uint8Array) === 0)) {
    throw new TypeError('the same secret is given twice');
  }
  const keys = combinations(sorted, threshold).map(deriveUnsealKey);
  return {
    mode: 'secrets',
    canInitialize: secrets.length === total,
    keys: () => Promise.resolve(keys),
  };
}

function deriveUnsealKey(combination: readonly Uint8Array[]): UnsealKey {
  const ikm = Buffer.concat(combination);
  const key = new Uint8Array(hkdfSync('sha256', ikm, SALT, INFO, KEY_BYTES));
  return { kid: kidForKey('secrets', key), key };
}

/** Every k-element combination of `items`, each in the items' order. */
export function combinations<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  const out: T[][] = [];
  items.forEach((item, i) => {
    for (const rest of combinations(items.slice(i + 1), k - 1)) out.push([item, ...rest]);
  });
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}
