// Per-client rate limits of the API chains (@fastify/rate-limit, in memory per instance): keyed
// by principal once authenticated, so clients behind one NAT do not share a budget, else by IP.
// The limiter runs after the chain resolved the caller and before the body is read.
import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { RateLimitConfig } from '../config.js';
import { ProblemError, problems } from '../problems/index.js';
import '../route-config.js';

export function rateLimitKey(request: FastifyRequest): string {
  const principal = request.principal;
  return principal
    ? `principal:${principal.tenant}:${principal.method}:${principal.subject}`
    : `ip:${request.ip}`;
}

export function rateLimitOptions(config: RateLimitConfig): RateLimitPluginOptions {
  return {
    max: config.max,
    timeWindow: config.timeWindowMs,
    hook: 'onRequest',
    keyGenerator: rateLimitKey,
    // Limit headers only on a 429 (with Retry-After): three headers on every answer cost the
    // hot path measurably (bench:kms) and tell a well-behaved client nothing it needs.
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    errorResponseBuilder: (_request, context) =>
      new ProblemError(problems.rateLimited, {
        detail: `rate limit exceeded, retry in ${context.after}`,
        // RFC 9110 §10.2.3: delay in seconds.
        headers: { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) },
      }),
  };
}

export { rateLimit };
