import { describe, expect, it } from 'vitest';
import {
  adminListenerSchema,
  isLoopbackAddress,
  publicListenerSchema,
  shutdownSchema,
} from './config.js';

function describedKeys(shape: Record<string, { description?: string | undefined }>): string[] {
  return Object.entries(shape)
    .filter(([, schema]) => schema.description === undefined)
    .map(([key]) => key);
}

describe('publicListenerSchema', () => {
  it('fills the defaults', () => {
    expect(publicListenerSchema.parse({ port: 8080 })).toEqual({
      address: '127.0.0.1',
      port: 8080,
      bodyLimit: 2 * 1024 * 1024,
      rateLimit: { max: 300, timeWindowMs: 60_000 },
      cors: { allowedOrigins: [] },
    });
  });

  it('accepts exact origins and refuses anything with a path or slash', () => {
    const ok = publicListenerSchema.parse({
      port: 1,
      cors: { allowedOrigins: ['https://app.example.com:8443'] },
    });
    expect(ok.cors.allowedOrigins).toEqual(['https://app.example.com:8443']);
    for (const bad of ['https://app.example.com/', 'https://app.example.com/path', 'not a url']) {
      const result = publicListenerSchema.safeParse({ port: 1, cors: { allowedOrigins: [bad] } });
      expect(result.error?.issues[0]).toMatchObject({
        path: ['cors', 'allowedOrigins', 0],
        message: 'must be an origin: scheme://host[:port], no path or trailing slash',
      });
    }
  });

  it('refuses a port outside 0-65535', () => {
    expect(publicListenerSchema.safeParse({ port: 70_000 }).error?.issues[0]?.path).toEqual([
      'port',
    ]);
  });
});

describe('adminListenerSchema', () => {
  it('defaults to 127.0.0.1 and accepts other loopback addresses', () => {
    expect(adminListenerSchema.parse({ port: 9090 })).toEqual({ address: '127.0.0.1', port: 9090 });
    expect(adminListenerSchema.parse({ address: '::1', port: 9090 }).address).toBe('::1');
  });

  it('refuses a non-loopback address with a message naming the key', () => {
    const result = adminListenerSchema.safeParse({ address: '0.0.0.0', port: 9090 });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['address'],
        message:
          'address must be a loopback address (127.0.0.0/8 or ::1): the admin listener is never exposed, got "0.0.0.0"',
      }),
    ]);
  });
});

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:10.0.0.1', false],
    ['10.0.0.1', false],
    ['::', false],
    ['localhost', false],
  ])('%s -> %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});

describe('shutdownSchema', () => {
  it('defaults the drain timeout to 10 s', () => {
    expect(shutdownSchema.parse({})).toEqual({ drainTimeoutMs: 10_000 });
  });
});

describe('descriptions', () => {
  it('describes every key', () => {
    expect(describedKeys(publicListenerSchema.shape)).toEqual([]);
    expect(describedKeys(publicListenerSchema.shape.rateLimit.unwrap().shape)).toEqual([]);
    expect(describedKeys(publicListenerSchema.shape.cors.unwrap().shape)).toEqual([]);
    expect(describedKeys(adminListenerSchema.shape)).toEqual([]);
    expect(describedKeys(shutdownSchema.shape)).toEqual([]);
  });
});
