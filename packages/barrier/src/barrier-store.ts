// The storage the barrier owns (STYLE: the consumer declares the interface): a singleton state
// row recording the unseal mode, and one table of wrapped keys per level. Every row holds a JWE
// only; nothing here is secret without the unseal key.
import type { UnsealMode } from './unseal-key-source.js';

export type KeyLevel = 'root' | 'intermediate' | 'content';
export const KEY_LEVELS: readonly KeyLevel[] = ['root', 'intermediate', 'content'];

export interface BarrierState {
  readonly mode: UnsealMode;
  /** Shares needed to unseal in `shares` mode; null otherwise. */
  readonly threshold: number | null;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

export interface KeyRecord {
  /** UUIDv7; a root key has one row per unseal key, all with the same id. */
  readonly id: string;
  /** The kid of the key that wraps this one (an unseal key kid for root keys). */
  readonly parentKid: string;
  readonly jwe: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Epoch milliseconds when a newer key replaced it; null while current. */
  readonly rotatedAt: number | null;
  readonly reason: string;
}

export interface InitialKeys {
  readonly root: readonly KeyRecord[];
  readonly intermediate: KeyRecord;
  readonly content: KeyRecord;
}

export interface BarrierStore {
  loadState(): Promise<BarrierState | undefined>;
  /**
   * Writes the state and the first keys in one transaction. Resolves false, writing nothing,
   * when the store is already initialised (another instance won the race).
   */
  initialize(state: BarrierState, keys: InitialKeys): Promise<boolean>;
  /** Root key rows wrapped by any of `parentKids`. */
  findRootKeys(parentKids: readonly string[]): Promise<KeyRecord[]>;
  /** The unseal key kids that wrap root key `id`. */
  rootKeyParents(id: string): Promise<string[]>;
  /** An intermediate or content key by id. */
  findKey(level: 'intermediate' | 'content', id: string): Promise<KeyRecord | undefined>;
  /** The newest current key of a level (any one row of it, for root). */
  currentKey(level: KeyLevel): Promise<KeyRecord | undefined>;
  /** Marks the level's current keys rotated at `rotatedAt` and inserts `records` (one key). */
  rotate(level: KeyLevel, records: readonly KeyRecord[], rotatedAt: number): Promise<void>;
  /** Distinct keys per level. */
  countKeys(): Promise<Record<KeyLevel, number>>;
}
