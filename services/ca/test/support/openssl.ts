// openssl (Debian's 3.0) as the independent judge of the CA's output: runs it in a directory,
// returning its exit status and output instead of throwing, so tests assert openssl's verdict.
import { spawn, spawnSync } from 'node:child_process';

export interface OpensslResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, as a terminal would show them. */
  readonly output: string;
}

export function openssl(args: readonly string[], cwd: string, input?: string): OpensslResult {
  const run = spawnSync('openssl', args, {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
    ...(input === undefined ? {} : { input }),
  });
  if (run.error) throw run.error;
  return {
    status: run.status ?? -1,
    stdout: run.stdout,
    stderr: run.stderr,
    output: `${run.stdout}${run.stderr}`,
  };
}

/**
 * openssl without blocking the event loop: needed whenever it talks to a server running in this
 * process (e.g. `openssl ocsp -url` against the in-process CA).
 */
export function opensslAsync(args: readonly string[], cwd: string): Promise<OpensslResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill(), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? -1, stdout, stderr, output: `${stdout}${stderr}` });
    });
  });
}
