import { describe, expect, it } from 'vitest';
import { ProblemError } from '../problems/index.js';
import { RateLimiter, describeWait } from './rate-limit.js';

const WINDOW_MS = 60_000;

function limiter(max: number, clients?: number) {
  let now = 1_000_000;
  const limit = new RateLimiter(
    { max, timeWindowMs: WINDOW_MS },
    { now: () => now, ...(clients === undefined ? {} : { clients }) },
  );
  return {
    limit,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** The problem `count` throws, or undefined when the request is admitted. */
function refusal(limit: RateLimiter, key: string): ProblemError | undefined {
  try {
    limit.count(key);
    return undefined;
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
}

describe('RateLimiter', () => {
  it('admits max requests per window and refuses the next with 429 and Retry-After', () => {
    const { limit, advance } = limiter(3);
    expect([1, 2, 3].map(() => refusal(limit, 'a'))).toEqual([undefined, undefined, undefined]);
    advance(15_000);
    const refused = refusal(limit, 'a');
    expect(refused?.status).toBe(429);
    expect(refused?.headers).toEqual({ 'retry-after': '45' });
    expect(refused?.detail).toBe('rate limit exceeded, retry in 45 seconds');
  });

  it('counts each key separately', () => {
    const { limit } = limiter(1);
    expect(refusal(limit, 'a')).toBeUndefined();
    expect(refusal(limit, 'b')).toBeUndefined();
    expect(refusal(limit, 'a')?.status).toBe(429);
    expect(refusal(limit, 'b')?.status).toBe(429);
  });

  it('starts a fresh window once the last one has run out, and not before', () => {
    const { limit, advance } = limiter(1);
    expect(refusal(limit, 'a')).toBeUndefined();
    advance(WINDOW_MS - 1);
    expect(refusal(limit, 'a')?.headers).toEqual({ 'retry-after': '1' });
    advance(1);
    expect(refusal(limit, 'a')).toBeUndefined();
    expect(refusal(limit, 'a')?.headers).toEqual({ 'retry-after': '60' });
  });

  it('counts refused requests too, so hammering does not shorten the wait', () => {
    const { limit, advance } = limiter(1);
    limit.count('a');
    for (let i = 0; i < 10; i += 1) expect(refusal(limit, 'a')?.status).toBe(429);
    advance(WINDOW_MS);
    expect(refusal(limit, 'a')).toBeUndefined();
  });

  it('keeps at most `clients` keys, forgetting the window that started first', () => {
    const { limit, advance } = limiter(1, 2);
    limit.count('first');
    advance(10);
    limit.count('second');
    advance(10);
    limit.count('third');
    expect(limit.size).toBe(2);
    // "first" was forgotten, so it starts over; "second" and "third" are still counted.
    expect(refusal(limit, 'second')?.status).toBe(429);
    expect(refusal(limit, 'third')?.status).toBe(429);
    expect(refusal(limit, 'first')).toBeUndefined();
    expect(limit.size).toBe(2);
  });

  it('moves a restarted window to the back of the line', () => {
    const { limit, advance } = limiter(5, 2);
    limit.count('old');
    advance(10);
    limit.count('young');
    advance(WINDOW_MS);
    limit.count('old'); // its window restarts, now the younger of the two
    limit.count('new'); // forgets "young"
    limit.count('old');
    expect(limit.size).toBe(2);
    // "old" kept its restarted window: 2 counted, 3 left.
    expect([1, 2, 3].map(() => refusal(limit, 'old'))).toEqual([undefined, undefined, undefined]);
    expect(refusal(limit, 'old')?.status).toBe(429);
  });
});

describe('describeWait', () => {
  it.each([
    [1, '1 second'],
    [59, '59 seconds'],
    [60, '1 minute'],
    [90, '2 minutes'],
    [3599, '60 minutes'],
    [3600, '1 hour'],
    [7200, '2 hours'],
  ])('%i s is "%s"', (seconds, text) => {
    expect(describeWait(seconds)).toBe(text);
  });
});
