// The built `cryptoutil` command as a real process, the way a shell runs it: exit codes and
// output of main.ts (the suite's `./test` builds dist/ before the tests run).
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, send, waitFor } from '@cryptoutil/server/testing';

const main = join(import.meta.dirname, '..', 'dist', 'main.js');

function cryptoutil(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { cwd }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the cryptoutil process', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cu-main-'));

  it('is built', () => {
    expect(existsSync(main)).toBe(true);
  });

  it('prints its version and exits 0', async () => {
    expect(await cryptoutil(['--version'], cwd)).toEqual({
      code: 0,
      stdout: '0.1.0\n',
      stderr: '',
    });
  });

  it('runs dev with the KMS, serves its dev API key, and exits 0 on SIGTERM', async () => {
    const [pub, admin] = [await freePort(), await freePort()];
    const [josePub, joseAdmin] = [await freePort(), await freePort()];
    const [caPub, caAdmin, caPlain] = [await freePort(), await freePort(), await freePort()];
    const child = spawn(
      process.execPath,
      [
        main,
        'dev',
        '-s',
        `kms:public.port=${pub}`,
        '-s',
        `kms:admin.port=${admin}`,
        '-s',
        `jose:public.port=${josePub}`,
        '-s',
        `jose:admin.port=${joseAdmin}`,
        '-s',
        `ca:public.port=${caPub}`,
        '-s',
        `ca:admin.port=${caAdmin}`,
        '-s',
        `ca:ca.revocation.port=${caPlain}`,
        '-s',
        'telemetry.logLevel=warn',
      ],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const ca = await waitFor(() => readFileSync(join(cwd, 'data', 'tls', 'ca.pem'), 'utf8'));
    await waitFor(() => send({ port: admin, path: '/admin/v1/livez', ca }));
    const keyFile = join(cwd, 'data', 'dev', 'kms.api-key');
    expect(stdout).toContain(
      `kms: dev API key (all kms scopes, tenant default) written to ${keyFile}`,
    );
    const key = readFileSync(keyFile, 'utf8').trim();
    const path = '/service/api/v1/elastic-keys';
    const list = await send({ port: pub, path, ca, headers: { authorization: `Bearer ${key}` } });
    expect({ status: list.status, body: list.text }).toEqual({ status: 200, body: '{"items":[]}' });
    expect((await send({ port: pub, path, ca })).status).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits 2 on a usage error', async () => {
    const res = await cryptoutil(['tls', 'init', '--validity-days'], cwd);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("option '--validity-days <days>' argument missing");
  });

  it('writes a certificate set with tls init', async () => {
    const res = await cryptoutil(['tls', 'init', '--dir', 'certs'], cwd);
    expect(res.code).toBe(0);
    expect(existsSync(join(cwd, 'certs', 'ca.pem'))).toBe(true);
  });
});
