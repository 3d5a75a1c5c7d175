import { describe, expect, it } from 'vitest';
import type { TlsMaterial } from './tls-material.js';
import {
  TLS_CIPHERSUITES,
  TLS_GROUPS,
  TLS_SIGALGS,
  clientTlsOptions,
  serverTlsOptions,
} from './tls-options.js';

const material: TlsMaterial = {
  cert: 'CERT',
  key: 'KEY',
  ca: ['ROOT'],
  clientCa: ['CLIENT-CA'],
  clientAuth: 'none',
};
const fips = {
  minVersion: 'TLSv1.3',
  ciphers: TLS_CIPHERSUITES,
  ecdhCurve: TLS_GROUPS,
  sigalgs: TLS_SIGALGS,
};

describe('serverTlsOptions', () => {
  it('is TLS 1.3 only with FIPS suites, groups and signature schemes', () => {
    expect(serverTlsOptions(material)).toEqual({
      ...fips,
      key: 'KEY',
      cert: 'CERT',
      requestCert: false,
    });
    expect(TLS_CIPHERSUITES).not.toMatch(/CHACHA/);
    expect(TLS_GROUPS).not.toMatch(/25519|448/);
    expect(TLS_SIGALGS).not.toMatch(/ed25519|sha1/i);
  });

  it('requests client certificates per clientAuth', () => {
    expect(serverTlsOptions({ ...material, clientAuth: 'optional' })).toMatchObject({
      ca: ['CLIENT-CA'],
      requestCert: true,
      rejectUnauthorized: false,
    });
    expect(serverTlsOptions({ ...material, clientAuth: 'required' })).toMatchObject({
      ca: ['CLIENT-CA'],
      requestCert: true,
      rejectUnauthorized: true,
    });
    const withoutClientCa: TlsMaterial = { cert: 'CERT', key: 'KEY', ca: [], clientAuth: 'none' };
    expect(serverTlsOptions({ ...withoutClientCa, clientAuth: 'required' }).ca).toEqual([]);
  });
});

describe('clientTlsOptions', () => {
  it('verifies against the given anchors only', () => {
    expect(clientTlsOptions({ ca: 'ROOT', servername: 'kms.local', cert: 'C', key: 'K' })).toEqual({
      ...fips,
      ca: ['ROOT'],
      cert: 'C',
      key: 'K',
      servername: 'kms.local',
      rejectUnauthorized: true,
    });
  });

  it('sends no IP address as SNI (RFC 6066 §3) and refuses an empty trust list', () => {
    expect(clientTlsOptions({ ca: ['A', 'B'], servername: '127.0.0.1' })).toEqual({
      ...fips,
      ca: ['A', 'B'],
      rejectUnauthorized: true,
    });
    expect(() => clientTlsOptions({ ca: [] })).toThrow(
      new TypeError('clientTlsOptions: ca must hold at least one trust anchor'),
    );
  });
});
