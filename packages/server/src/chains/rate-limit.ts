// Per-client rate limits of the API chains: a fixed window per client, in memory per instance,
// keyed by principal once authenticated, so clients behind one NAT do not share a budget, else
// by IP. Each chain counts a request once it knows the caller and before the body is read.
//
// ARCHITECTURE §9 names @fastify/rate-limit for this. Its request hook is asynchronous: it
// awaits the key generator, the store and the check (four promises and as many microtask turns
// per request), which cost JOSE 0.03-0.07 of its benchmark ratio (docs/performance.md). The
// counting itself is the plugin's default store (a fixed window per key, at most `clients`
// keys), so this does the same counting synchronously in the chain's own hook.
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { RateLimitConfig } from '../config.js';
import { ProblemError, problems } from '../problems/index.js';

/**
 * Each principal's key, made once: an API key's principal is the same object on every request,
 * and the same key string keeps its hash, where a string built per request is hashed afresh
 * by every map lookup.
 */
const principalKeys = new WeakMap<Principal, string>();

export function rateLimitKey(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal === undefined) return `ip:${request.ip}`;
  let key = principalKeys.get(principal);
  if (key === undefined) {
    key = `principal:${principal.tenant}:${principal.method}:${principal.subject}`;
    principalKeys.set(principal, key);
  }
  return key;
}

/** Clients counted at once, as @fastify/rate-limit's in-memory store keeps. */
const DEFAULT_CLIENTS = 5000;

interface Window {
  count: number;
  readonly startedAt: number;
}

export interface RateLimiterOptions {
  /** Clock in epoch milliseconds (tests inject one). */
  readonly now?: () => number;
  /** Clients counted at once; beyond it the window that started first is forgotten. */
  readonly clients?: number;
}

/** "1 minute", "30 seconds", "2 hours": the wait a 429 problem names. */
export function describeWait(seconds: number): string {
  const [amount, unit] =
    seconds < 60
      ? [seconds, 'second']
      : seconds < 3600
        ? [Math.round(seconds / 60), 'minute']
        : [Math.round(seconds / 3600), 'hour'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

export class RateLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #clients: number;
  readonly #now: () => number;
  /** Ordered by window start (a new window is re-inserted), so the first is the stalest. */
  readonly #windows = new Map<string, Window>();

  constructor(config: RateLimitConfig, options: RateLimiterOptions = {}) {
    this.#max = config.max;
    this.#windowMs = config.timeWindowMs;
    this.#clients = options.clients ?? DEFAULT_CLIENTS;
    this.#now = options.now ?? Date.now;
  }

  /** Clients counted now. */
  get size(): number {
    return this.#windows.size;
  }

  /**
   * Counts one request of `key`; throws the 429 problem, with Retry-After (RFC 9110 §10.2.3)
   * in seconds, once the window's budget is spent. Refused requests count too.
   */
  count(key: string): void {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (window === undefined || now - window.startedAt >= this.#windowMs) {
      if (window !== undefined) this.#windows.delete(key);
      else if (this.#windows.size >= this.#clients) this.#forgetStalest();
      window = { count: 0, startedAt: now };
      this.#windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.#max) return;
    const seconds = Math.max(1, Math.ceil((window.startedAt + this.#windowMs - now) / 1000));
    throw new ProblemError(problems.rateLimited, {
      detail: `rate limit exceeded, retry in ${describeWait(seconds)}`,
      headers: { 'retry-after': String(seconds) },
    });
  }

  #forgetStalest(): void {
    for (const key of this.#windows.keys()) {
      this.#windows.delete(key);
      return;
    }
  }
}
