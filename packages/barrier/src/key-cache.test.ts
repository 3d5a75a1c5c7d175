// The bounded LRU of unwrapped keys.
import { describe, expect, it } from 'vitest';
import { createKeyCache } from './key-cache.js';

describe('createKeyCache', () => {
  it('evicts the least recently used key beyond its bound', () => {
    const cache = createKeyCache<string>(2);
    cache.set('a', 'key a');
    cache.set('b', 'key b');
    expect(cache.get('a')).toBe('key a'); // a is now the most recent
    cache.set('c', 'key c');
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('key a');
    expect(cache.get('c')).toBe('key c');
  });

  it('keeps LRU order when the newest key is hit again, after deletes and clears', () => {
    const cache = createKeyCache<string>(2);
    cache.set('a', 'A');
    cache.set('b', 'B');
    expect(cache.get('b')).toBe('B'); // already the newest: no reordering needed
    expect(cache.get('a')).toBe('A'); // a becomes the newest
    cache.set('c', 'C'); // evicts b, the least recently used
    expect(cache.get('b')).toBeUndefined();
    cache.delete('c');
    expect(cache.get('a')).toBe('A');
    cache.set('d', 'D');
    cache.set('e', 'E'); // evicts a
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    cache.set('f', 'F');
    expect(cache.get('f')).toBe('F');
    expect(cache.size).toBe(1);
  });

  it('replaces a key and forgets everything on clear', () => {
    const cache = createKeyCache<string>(4);
    cache.set('a', 'one');
    cache.set('a', 'two');
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBe('two');
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('a')).toBeUndefined();
  });

  it('deletes one key and leaves the others', () => {
    const cache = createKeyCache<string>(4);
    cache.set('a', 'one');
    cache.set('b', 'two');
    cache.delete('a');
    cache.delete('missing');
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe('two');
  });

  it('rejects a bound that is not a positive integer', () => {
    expect(() => createKeyCache(0)).toThrow(
      new TypeError('key cache size must be a positive integer'),
    );
    expect(() => createKeyCache(1.5)).toThrow(TypeError);
  });
});
