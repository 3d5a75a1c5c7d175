// Config schemas of the kit's listeners and shutdown (ARCHITECTURE §2). Products nest them in
// their own config (`public`, `admin`, `shutdown`); @cryptoutil/config validates and documents
// them, so every key carries a `.describe()`.
import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';

export const DEFAULT_BODY_LIMIT = 2 * 1024 * 1024;

const port = z.number().int().min(0).max(65535);

/** Whether `address` is an IP literal on the loopback interface (127.0.0.0/8 or ::1). */
export function isLoopbackAddress(address: string): boolean {
  if (isIPv4(address)) return address.startsWith('127.');
  if (!isIPv6(address)) return false;
  const lower = address.toLowerCase();
  if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  return mapped?.[1] !== undefined && isLoopbackAddress(mapped[1]);
}

// A CORS origin is scheme://host[:port] exactly as browsers send it (RFC 6454 §6.2).
const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'must be an origin: scheme://host[:port], no path or trailing slash');

export const rateLimitSchema = z.object({
  max: z
    .number()
    .int()
    .positive()
    .default(300)
    .describe('Requests allowed per client in each window.'),
  timeWindowMs: z
    .number()
    .int()
    .positive()
    .default(60_000)
    .describe('Length of the rate-limit window in milliseconds.'),
});

export const publicListenerSchema = z.object({
  address: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('Address the public HTTPS listener binds; containers set 0.0.0.0 explicitly.'),
  port: port.describe('Port of the public HTTPS listener (0 picks a free port).'),
  bodyLimit: z
    .number()
    .int()
    .positive()
    .default(DEFAULT_BODY_LIMIT)
    .describe('Largest accepted request body in bytes; larger bodies get 413.'),
  rateLimit: rateLimitSchema
    .prefault({})
    .describe(
      'Per-client rate limit of the API prefixes: per principal when authenticated, else per IP.',
    ),
  cors: z
    .object({
      allowedOrigins: z
        .array(origin)
        .default([])
        .describe(
          'Origins allowed to call /browser/api/v1 cross-origin (exact match, e.g. https://app.example.com).',
        ),
    })
    .prefault({})
    .describe('CORS policy of the browser API; the service API never sends CORS headers.'),
});

export const adminListenerSchema = z.object({
  address: z
    .string()
    .default('127.0.0.1')
    .refine(isLoopbackAddress, {
      error: (issue) =>
        `address must be a loopback address (127.0.0.0/8 or ::1): the admin listener is never exposed, got ${JSON.stringify(issue.input)}`,
    })
    .describe(
      'Loopback address the admin HTTPS listener binds (ARCHITECTURE §2: never published).',
    ),
  port: port.describe('Port of the admin HTTPS listener (0 picks a free port).'),
});

export const shutdownSchema = z.object({
  drainTimeoutMs: z
    .number()
    .int()
    .nonnegative()
    .default(10_000)
    .describe(
      'How long in-flight requests may drain at shutdown before their connections are closed.',
    ),
});

export type PublicListenerConfig = z.output<typeof publicListenerSchema>;
export type AdminListenerConfig = z.output<typeof adminListenerSchema>;
export type ShutdownConfig = z.output<typeof shutdownSchema>;
export type RateLimitConfig = z.output<typeof rateLimitSchema>;
