// The built `cryptoutil` command as a real process, the way a shell runs it: exit codes and
// output of main.ts (the suite's `./test` builds dist/ before the tests run).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

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

  it('runs dev and exits 0 while no product is built', async () => {
    const res = await cryptoutil(['dev'], cwd);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('no product is built yet');
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
