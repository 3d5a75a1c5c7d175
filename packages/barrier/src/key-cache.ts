// A bounded least-recently-used map of unwrapped keys (non-extractable CryptoKeys), so a hot key
// costs no database read and no unwrap. Clearing drops every reference; JavaScript cannot wipe
// memory, so the keys' bytes live until the runtime frees them.
export interface KeyCache<V> {
  get(kid: string): V | undefined;
  set(kid: string, key: V): void;
  delete(kid: string): void;
  readonly size: number;
  clear(): void;
}

export function createKeyCache<V>(maxEntries: number): KeyCache<V> {
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new TypeError('key cache size must be a positive integer');
  }
  const entries = new Map<string, V>();
  // The most recently used id: a hit on it needs no reordering (the common case of one hot key).
  let newest: string | undefined;
  return {
    get(kid) {
      const key = entries.get(kid);
      if (key !== undefined && kid !== newest) {
        // Map keeps insertion order: re-inserting makes this the most recently used.
        entries.delete(kid);
        entries.set(kid, key);
        newest = kid;
      }
      return key;
    },
    set(kid, key) {
      entries.delete(kid);
      entries.set(kid, key);
      newest = kid;
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
    delete(kid) {
      entries.delete(kid);
      if (kid === newest) newest = undefined;
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
      newest = undefined;
    },
  };
}
