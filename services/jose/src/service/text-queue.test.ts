import { describe, expect, it } from 'vitest';
import { TextQueue } from './text-queue.js';

describe('TextQueue', () => {
  it('gives an empty JSON array when nothing is queued', () => {
    const queue = new TextQueue();
    expect(queue.length).toBe(0);
    expect(queue.take()).toBe('[]');
  });

  it('takes the queued values as one JSON array, in order, and is empty after', () => {
    const queue = new TextQueue();
    queue.push(JSON.stringify(['a', 1, null]));
    queue.push(JSON.stringify({ b: 'ü€😀' }));
    expect(queue.length).toBe(2);
    expect(JSON.parse(queue.take())).toEqual([['a', 1, null], { b: 'ü€😀' }]);
    expect(queue.length).toBe(0);
    expect(queue.take()).toBe('[]');
  });

  it('spans chunks, reuses them after a take, and fits a value larger than a chunk', () => {
    const queue = new TextQueue();
    const values = Array.from({ length: 3000 }, (_, i) => [
      'x'.repeat(i % 97),
      i,
      'é'.repeat(i % 5),
    ]);
    for (let round = 0; round < 3; round += 1) {
      for (const value of values) queue.push(JSON.stringify(value));
      const big = 'y'.repeat(200_000);
      queue.push(JSON.stringify([big]));
      expect(JSON.parse(queue.take())).toEqual([...values, [big]]);
    }
  });
});
