import { describe, expect, it } from 'vitest';
import { requireTls13 } from './tls-guard.js';

describe('requireTls13', () => {
  it('pins minVersion to TLS 1.3 and keeps the other options', () => {
    expect(requireTls13({ cert: 'c', key: 'k' }, 'public')).toEqual({
      cert: 'c',
      key: 'k',
      minVersion: 'TLSv1.3',
    });
    expect(requireTls13({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' }, 'admin')).toEqual({
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
    });
  });

  it('refuses a lower minVersion', () => {
    expect(() => requireTls13({ minVersion: 'TLSv1.2' }, 'public')).toThrow(
      new TypeError('public listener: TLS minVersion TLSv1.2 refused, TLSv1.3 is the minimum'),
    );
  });

  it('refuses a maxVersion below TLS 1.3', () => {
    expect(() => requireTls13({ maxVersion: 'TLSv1.2' }, 'admin')).toThrow(
      new TypeError('admin listener: TLS maxVersion TLSv1.2 refused, TLSv1.3 is the minimum'),
    );
  });

  it('refuses a legacy secureProtocol', () => {
    expect(() => requireTls13({ secureProtocol: 'TLSv1_2_method' }, 'public')).toThrow(
      new TypeError('public listener: secureProtocol is not supported, use minVersion'),
    );
  });
});
