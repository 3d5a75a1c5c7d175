import { describe, expect, it } from 'vitest';
import { createFreshCache } from './fresh-cache.js';

function setup(ttlMs = 1000) {
  let clock = 0;
  let reads = 0;
  const cache = createFreshCache<number>({ maxEntries: 2, ttlMs, now: () => clock });
  const read = () => {
    reads += 1;
    return Promise.resolve(reads);
  };
  return {
    cache,
    read,
    reads: () => reads,
    advance: (ms: number) => (clock += ms),
  };
}

/** A read that settles when the test says so. */
function deferred() {
  let resolve!: (value: number) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<number>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createFreshCache', () => {
  it('answers from the cache for ttlMs after the read, then reads again', async () => {
    const { cache, read, reads, advance } = setup();
    expect(await cache.get('a', read)).toBe(1);
    advance(999);
    expect(await cache.get('a', read)).toBe(1);
    advance(1);
    expect(await cache.get('a', read)).toBe(2);
    expect(reads()).toBe(2);
  });

  it('peeks at what get would answer at once, without reading', async () => {
    const { cache, read, reads, advance } = setup();
    expect(cache.peek('a')).toBeUndefined();
    const pending = cache.get('a', read);
    expect(cache.peek('a')).toBeUndefined(); // a read in flight is not a value yet
    await pending;
    expect(cache.peek('a')).toBe(1);
    expect(cache.peek('a', () => false)).toBeUndefined();
    advance(1000);
    expect(cache.peek('a')).toBeUndefined();
    expect(reads()).toBe(1);
  });

  it('shares one read among concurrent callers', async () => {
    const { cache } = setup();
    const slow = deferred();
    let calls = 0;
    const read = () => ((calls += 1), slow.promise);
    const [first, second] = [cache.get('a', read), cache.get('a', read)];
    slow.resolve(7);
    expect(await Promise.all([first, second])).toEqual([7, 7]);
    expect(calls).toBe(1);
  });

  it('reads again while usable() says no', async () => {
    const { cache, read } = setup();
    await cache.get('a', read);
    expect(await cache.get('a', read, () => false)).toBe(2);
    expect(await cache.get('a', read, () => true)).toBe(2);
  });

  it('does not cache a read that a delete or clear overtook', async () => {
    for (const drop of ['delete', 'clear'] as const) {
      const { cache, read } = setup();
      const slow = deferred();
      const pending = cache.get('a', () => slow.promise);
      if (drop === 'delete') cache.delete('a');
      else cache.clear();
      slow.resolve(99);
      expect(await pending).toBe(99);
      expect(await cache.get('a', read), drop).toBe(1);
    }
  });

  it('does not keep a failed read', async () => {
    const { cache, read } = setup();
    const failing = deferred();
    const pending = cache.get('a', () => failing.promise);
    failing.reject(new Error('database down'));
    await expect(pending).rejects.toThrow('database down');
    expect(await cache.get('a', read)).toBe(1);
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const { cache, read, reads } = setup();
    await cache.get('a', read);
    await cache.get('b', read);
    await cache.get('c', read);
    expect(reads()).toBe(3);
    await cache.get('c', read);
    await cache.get('a', read);
    expect(reads()).toBe(4);
  });
});
