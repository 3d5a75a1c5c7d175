// An admin listener that requires client certificates: the CLI's health and shutdown present
// one with --cert/--key, and fail without.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCertificateSet, issueClientCertificate } from '@cryptoutil/tls';
import { describe, expect, it } from 'vitest';
import { cli, liveFlags, startLive } from './cli-harness.js';
import { fixtureProduct } from './fixture-product.js';

describe('admin listener with mTLS required', () => {
  it('answers health and shutdown only with an operator certificate', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cu-cli-mtls-'));
    const operators = await generateCertificateSet({ label: 'operators' });
    const operator = await issueClientCertificate({
      issuerCert: operators.intermediateCert,
      issuerKey: operators.intermediateKey,
      commonName: 'operator',
    });
    writeFileSync(join(cwd, 'operators.pem'), operators.rootCert);
    writeFileSync(join(cwd, 'operator.pem'), operator.chain);
    writeFileSync(join(cwd, 'operator-key.pem'), operator.key);
    const products = [fixtureProduct];
    const flags = await liveFlags(
      cwd,
      `tls.clientCaFile=${join(cwd, 'operators.pem')}`,
      'admin.clientAuth=required',
      'telemetry.logLevel=silent',
    );
    const withCert = ['--cert', 'operator.pem', '--key', 'operator-key.pem'];
    const server = (
      await startLive(['fixture', 'server', '--dev', ...flags], [...flags, ...withCert], {
        cwd,
        products,
      })
    ).done;
    const without = await cli(['fixture', 'health', 'livez', ...flags], { cwd, products });
    expect(without.code).toBe(1);
    const half = await cli(['fixture', 'health', 'livez', ...flags, '--cert', 'operator.pem'], {
      cwd,
      products,
    });
    expect(half).toMatchObject({ code: 2, stderr: 'cryptoutil: --cert and --key go together\n' });
    const unreadable = await cli(
      ['fixture', 'health', 'livez', ...flags, '--cert', 'none.pem', '--key', 'none-key.pem'],
      { cwd, products },
    );
    expect(unreadable).toMatchObject({
      code: 2,
      stderr: `cryptoutil: --cert: cannot read ${join(cwd, 'none.pem')}\n`,
    });
    const stop = await cli(['fixture', 'shutdown', ...flags, ...withCert], { cwd, products });
    expect(stop).toEqual({ code: 0, stdout: 'shutdown requested\n', stderr: '' });
    expect((await server).code).toBe(0);
  });
});
