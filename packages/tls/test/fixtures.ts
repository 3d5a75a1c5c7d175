// Test fixtures: temporary directories and PEM files for TLS material tests.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const execFileAsync = promisify(execFile);

export interface TempDir {
  readonly path: string;
  /** Writes `text` to `name` inside the directory and returns its path. */
  file(name: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

export async function createTempDir(prefix = 'tls-test-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    async file(name, text) {
      const target = join(path, name);
      await writeFile(target, text, { mode: 0o600 });
      return target;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** Runs openssl with `args`; resolves with exit code and combined output, never rejects. */
export async function openssl(
  args: string[],
  input = '',
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      '/usr/bin/openssl',
      args,
      { timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
    child.stdin?.end(input);
  });
}
