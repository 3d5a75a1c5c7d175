// A bounded least-recently-used map of unwrapped keys, so a hot key costs no database read and
// no unwrap. Callers get copies, so evicted and cleared keys can be zeroed without corrupting an
// operation in flight; a sealed barrier keeps no key bytes it can reach (the runtime may still
// hold copies it made, which JavaScript cannot wipe).
export interface KeyCache {
  get(kid: string): Uint8Array | undefined;
  set(kid: string, key: Uint8Array): void;
  readonly size: number;
  clear(): void;
}

export function createKeyCache(maxEntries: number): KeyCache {
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new TypeError('key cache size must be a positive integer');
  }
  const entries = new Map<string, Uint8Array>();
  return {
    get(kid) {
      const key = entries.get(kid);
      if (key) {
        // Map keeps insertion order: re-inserting makes this the most recently used.
        entries.delete(kid);
        entries.set(kid, key);
      }
      return key?.slice();
    },
    set(kid, key) {
      entries.get(kid)?.fill(0);
      entries.delete(kid);
      entries.set(kid, key.slice());
      for (const [oldest, old] of entries) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
        old.fill(0);
      }
    },
    get size() {
      return entries.size;
    },
    clear() {
      for (const key of entries.values()) key.fill(0);
      entries.clear();
    },
  };
}
