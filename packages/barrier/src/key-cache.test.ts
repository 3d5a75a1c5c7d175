// The bounded LRU of unwrapped keys.
import { describe, expect, it } from 'vitest';
import { createKeyCache } from './key-cache.js';

const bytes = (n: number): Uint8Array => new Uint8Array(32).fill(n);

describe('createKeyCache', () => {
  it('evicts the least recently used key beyond its bound and zeroes it', () => {
    const cache = createKeyCache(2);
    cache.set('a', bytes(1));
    cache.set('b', bytes(2));
    expect(cache.get('a')).toEqual(bytes(1)); // a is now the most recent
    cache.set('c', bytes(3));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(bytes(1));
    expect(cache.get('c')).toEqual(bytes(3));
  });

  it('hands out copies, so zeroing on clear cannot corrupt a key in use', () => {
    const cache = createKeyCache(4);
    const original = bytes(7);
    cache.set('a', original);
    original.fill(0);
    const copy = cache.get('a');
    expect(copy).toEqual(bytes(7));
    cache.set('a', bytes(8));
    expect(cache.get('a')).toEqual(bytes(8));
    cache.clear();
    expect(cache.size).toBe(0);
    expect(copy).toEqual(bytes(7));
    expect(cache.get('a')).toBeUndefined();
  });

  it('rejects a bound that is not a positive integer', () => {
    expect(() => createKeyCache(0)).toThrow(
      new TypeError('key cache size must be a positive integer'),
    );
    expect(() => createKeyCache(1.5)).toThrow(TypeError);
  });
});
