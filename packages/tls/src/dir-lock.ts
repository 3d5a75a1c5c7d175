// A lock file that serializes processes sharing an auto-mode directory (`kms server` and `jose
// server` started together on one host): without it both generate a CA and overwrite each
// other's files, and clients end up trusting a ca.pem that did not sign the served chain.
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface DirLockOptions {
  /** Give up after this long (ms). */
  readonly timeoutMs?: number;
  /** A lock older than this (ms) was left by a crashed process and is taken over. */
  readonly staleMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function acquire(path: string, options: Required<DirLockOptions>): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const age = await stat(path).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > options.staleMs) await rm(path, { force: true });
    else if (Date.now() > deadline) throw new Error(`lock ${path} is held by another process`);
    else await sleep(25 + Math.random() * 50);
  }
}

/** Runs `fn` while holding `<dir>/.lock`; creates `dir` if needed. */
export async function withDirLock<T>(
  dir: string,
  fn: () => Promise<T>,
  options: DirLockOptions = {},
): Promise<T> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, '.lock');
  await acquire(path, {
    timeoutMs: options.timeoutMs ?? 30_000,
    staleMs: options.staleMs ?? 60_000,
  });
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
