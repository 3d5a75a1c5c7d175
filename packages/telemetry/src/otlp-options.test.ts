// Unit tests of the gRPC exporter options: TLS credentials with a private CA for https,
// plaintext for http, and metadata headers.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtlpOptions } from './otlp-options.js';

describe('createOtlpOptions', () => {
  let dir: string;
  let caFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'telemetry-'));
    caFile = join(dir, 'ca.pem');
    await writeFile(caFile, rootCertificates[0] ?? '');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses TLS with the CA file and sends headers as metadata for https', async () => {
    const make = await createOtlpOptions({
      endpoint: 'https://collector:4317',
      caFile,
      headers: { Authorization: 'Bearer t', 'X-Tenant': 'acme' },
    });
    const options = make();
    expect(options.url).toBe('https://collector:4317');
    expect(options.credentials?._isSecure()).toBe(true);
    expect(options.metadata?.getMap()).toEqual({ authorization: 'Bearer t', 'x-tenant': 'acme' });
    expect(make().metadata).not.toBe(options.metadata);
  });

  it('uses TLS with system roots for https without a CA file', async () => {
    const options = (await createOtlpOptions({ endpoint: 'https://collector:4317' }))();
    expect(options.credentials?._isSecure()).toBe(true);
    expect(options.metadata?.getMap()).toEqual({});
  });

  it('uses plaintext for http', async () => {
    const options = (await createOtlpOptions({ endpoint: 'http://127.0.0.1:4317' }))();
    expect(options.credentials?._isSecure()).toBe(false);
  });

  it('fails naming the config key when the CA file cannot be read', async () => {
    const missing = join(dir, 'missing.pem');
    await expect(
      createOtlpOptions({ endpoint: 'https://collector:4317', caFile: missing }),
    ).rejects.toMatchObject({
      name: 'ConfigError',
      issues: [{ path: 'telemetry.otlp.caFile', message: `file not found: ${missing}` }],
    });
    await expect(
      createOtlpOptions({ endpoint: 'https://collector:4317', caFile: dir }),
    ).rejects.toMatchObject({
      issues: [{ path: 'telemetry.otlp.caFile', message: `cannot read file (EISDIR): ${dir}` }],
    });
  });
});
