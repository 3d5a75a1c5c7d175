import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { tlsConfigSchema } from './tls-config-schema.js';

describe('tlsConfigSchema', () => {
  it('makes { mode: auto } valid with every default filled in', () => {
    expect(tlsConfigSchema.parse({ mode: 'auto' })).toEqual({
      mode: 'auto',
      dir: './data/tls',
      names: [],
      validityDays: 90,
      keyAlgorithm: 'ECDSA-P256',
      clientAuth: 'none',
    });
  });

  it('treats a section without mode as auto mode', () => {
    expect(tlsConfigSchema.parse({ dir: '/var/lib/cu/tls' })).toMatchObject({
      mode: 'auto',
      dir: '/var/lib/cu/tls',
    });
  });

  it('requires certFile and keyFile in static mode', () => {
    const result = tlsConfigSchema.safeParse({ mode: 'static', certFile: '/c.pem' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['keyFile']);
  });

  it('requires clientCaFile when clientAuth is not none, naming the key path', () => {
    for (const clientAuth of ['optional', 'required'] as const) {
      const result = tlsConfigSchema.safeParse({ mode: 'auto', clientAuth });
      expect(result.error?.issues).toEqual([
        expect.objectContaining({
          path: ['clientCaFile'],
          message: `required when clientAuth is ${clientAuth}`,
        }),
      ]);
    }
    expect(
      tlsConfigSchema.parse({ mode: 'auto', clientAuth: 'required', clientCaFile: '/ca.pem' })
        .clientCaFile,
    ).toBe('/ca.pem');
  });

  it('accepts DNS names, wildcards and IPs as names and rejects anything else', () => {
    const names = ['kms.example.com', '*.example.com', '10.0.0.1', 'fe80::1', 'kms'];
    expect(tlsConfigSchema.parse({ mode: 'auto', names })).toMatchObject({ names });
    for (const bad of ['a b', 'http://x', '', 'x..y', '-x.com']) {
      const result = tlsConfigSchema.safeParse({ mode: 'auto', names: [bad] });
      expect(result.success, bad).toBe(false);
    }
  });

  it('caps the leaf validity at 398 days', () => {
    expect(
      tlsConfigSchema.safeParse({
        mode: 'mixed',
        caCertFile: 'a',
        caKeyFile: 'b',
        validityDays: 398,
      }).success,
    ).toBe(true);
    expect(tlsConfigSchema.safeParse({ mode: 'auto', validityDays: 399 }).success).toBe(false);
    expect(tlsConfigSchema.safeParse({ mode: 'auto', validityDays: 0 }).success).toBe(false);
  });

  it('rejects unknown modes', () => {
    expect(tlsConfigSchema.safeParse({ mode: 'none' }).success).toBe(false);
  });

  it('describes every key of every mode', () => {
    const missing: string[] = [];
    for (const [index, option] of tlsConfigSchema.options.entries()) {
      expect(option.description).toBeTruthy();
      for (const [key, schema] of Object.entries(option.shape)) {
        if (!(schema as z.ZodType).description) missing.push(`option ${index}.${key}`);
      }
    }
    expect(missing).toEqual([]);
    expect(tlsConfigSchema.description).toBe('TLS 1.3 settings of a listener.');
  });
});
