// A bounded cache of what the database says about keys (a key's row, which version is current,
// whether a kid is still usable), trusted for `ttlMs`, so a hot key costs one map lookup and no
// database read. Reads are single flight: when an entry expires under load, the requests in
// flight share one read. A write through this process drops the entries it changes at once,
// and a read that started before the drop is not cached; writes by other processes sharing the
// database are seen within `ttlMs`. KMS and JOSE keep their key metadata in it.
import { createKeyCache } from './key-cache.js';

export interface FreshCache<V> {
  /**
   * The value of `name` when it was read less than `ttlMs` ago (and `usable()` allows it), else
   * the value `read()` gives, shared by every caller until it settles.
   */
  get(name: string, read: () => Promise<V>, usable?: () => boolean): Promise<V>;
  /**
   * What `get` would answer at once from the cache, without a promise; undefined when it would
   * read (or the cached value is undefined). Hot paths peek first and `get` on a miss.
   */
  peek(name: string, usable?: () => boolean): V | undefined;
  /** Forgets `name`; a read of this cache in flight is not cached. */
  delete(name: string): void;
  /** Forgets everything; no read in flight is cached. */
  clear(): void;
}

export interface FreshCacheOptions {
  readonly maxEntries: number;
  readonly ttlMs: number;
  /** Clock in epoch ms (tests inject one). */
  readonly now?: (() => number) | undefined;
}

interface Entry<V> {
  readonly value: V;
  readonly at: number;
}

export function createFreshCache<V>(options: FreshCacheOptions): FreshCache<V> {
  const { ttlMs } = options;
  const now = options.now ?? Date.now;
  const entries = createKeyCache<Entry<V>>(options.maxEntries);
  const reading = new Map<string, Promise<V>>();
  /** Bumped by every delete and clear: reads that started before it are not cached. */
  let epoch = 0;
  function freshEntry(name: string, usable: (() => boolean) | undefined): Entry<V> | undefined {
    const hit = entries.get(name);
    return hit && now() - hit.at < ttlMs && (usable === undefined || usable()) ? hit : undefined;
  }
  return {
    get(name, read, usable) {
      const hit = freshEntry(name, usable);
      if (hit) return Promise.resolve(hit.value);
      const pending = reading.get(name);
      if (pending) return pending;
      // Timestamped before the read, so an entry never outlives ttlMs from what it saw.
      const at = now();
      const started = epoch;
      const fresh = read()
        .then((value) => {
          if (started === epoch) entries.set(name, { value, at });
          return value;
        })
        .finally(() => {
          if (reading.get(name) === fresh) reading.delete(name);
        });
      reading.set(name, fresh);
      return fresh;
    },
    peek(name, usable) {
      return freshEntry(name, usable)?.value;
    },
    delete(name) {
      epoch += 1;
      entries.delete(name);
      reading.delete(name);
    },
    clear() {
      epoch += 1;
      entries.clear();
      reading.clear();
    },
  };
}
