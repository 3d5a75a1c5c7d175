// Unit tests of the telemetry config schema: defaults, endpoint and caFile rules, secret
// headers and the `.describe()` on every key that docs/config.md is generated from.
import { isSecret } from '@cryptoutil/config';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { otlpConfigSchema, telemetryConfigSchema } from './config.js';

describe('telemetryConfigSchema', () => {
  it('defaults to info logs and telemetry off', () => {
    expect(telemetryConfigSchema.parse({})).toEqual({
      logLevel: 'info',
      otlp: { exportIntervalMs: 10_000 },
    });
  });

  it('accepts http and https endpoints, a CA file for https and headers', () => {
    const config = telemetryConfigSchema.parse({
      logLevel: 'debug',
      serviceName: 'kms-eu',
      otlp: {
        endpoint: 'https://collector:4317',
        caFile: '/etc/cryptoutil/otel-ca.pem',
        headers: { authorization: 'Bearer x' },
        exportIntervalMs: 5000,
      },
    });
    expect(config.otlp.endpoint).toBe('https://collector:4317');
    expect(
      telemetryConfigSchema.parse({ otlp: { endpoint: 'http://127.0.0.1:4317' } }).otlp,
    ).toEqual({ endpoint: 'http://127.0.0.1:4317', exportIntervalMs: 10_000 });
  });

  it('rejects non-http schemes, unknown levels and a CA file without TLS', () => {
    const bad = [
      { otlp: { endpoint: 'grpc://collector:4317' } },
      { otlp: { endpoint: 'not a url' } },
      { logLevel: 'verbose' },
      { otlp: { endpoint: 'http://collector:4317', caFile: '/ca.pem' } },
      { otlp: { caFile: '/ca.pem' } },
    ];
    const paths = bad.map((input) => {
      const result = telemetryConfigSchema.safeParse(input);
      return result.success ? 'accepted' : result.error.issues.map((i) => i.path.join('.')).join();
    });
    expect(paths).toEqual([
      'otlp.endpoint',
      'otlp.endpoint',
      'logLevel',
      'otlp.caFile',
      'otlp.caFile',
    ]);
  });

  it('marks header values as secrets', () => {
    const headers = otlpConfigSchema.shape.headers.unwrap();
    expect(isSecret(headers.valueType as z.ZodType)).toBe(true);
  });

  it('describes every key', () => {
    const keys = (shape: Record<string, z.ZodType>): [string, string | undefined][] =>
      Object.entries(shape).map(([k, s]) => [k, s.description]);
    const all = [...keys(telemetryConfigSchema.shape), ...keys(otlpConfigSchema.shape)];
    expect(all.length).toBe(7);
    for (const [key, description] of all) expect(description, key).toMatch(/\w{3,}/);
  });
});
