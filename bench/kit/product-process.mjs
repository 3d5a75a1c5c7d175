// A product service as a benchmark target: `cryptoutil <product> server -c <file>` in its own
// Node process (the built CLI, as an operator runs it), ready at the first 200 of
// GET /admin/v1/readyz polled every 10 ms; and the peak resident memory (VmHWM, proc(5)) of a
// target, read from /proc before it stops.
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL, fileURLToPath } from 'node:url';
import { probe, startTarget } from './target-process.mjs';

const CLI = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));
const POLL_MS = 10;

/** Resolves with performance.now() of the first readyz 200; connection errors are retried. */
async function pollReadyz(port, ca, signal) {
  while (!signal.aborted) {
    try {
      const { status } = await probe({ port, path: '/admin/v1/readyz', ca });
      if (status === 200) return globalThis.performance.now();
    } catch {
      // not listening yet
    }
    await sleep(POLL_MS);
  }
  throw new Error('the service stopped before readyz answered 200');
}

/** Starts the service; `ready` resolves with the milliseconds from spawn to the first readyz 200. */
export function startProductServer({ product, configFile, adminPort, ca, nodeOptions = [] }) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`pnpm run build\` first`);
  const target = startTarget({
    script: CLI,
    args: [product, 'server', '-c', configFile],
    nodeOptions,
    stdout: 2, // its log lines (level warn or above) go to the runner's stderr, not the table
    waitReady: (_child, signal) => pollReadyz(adminPort, ca, signal),
  });
  return { ...target, ready: target.ready.then((readyAt) => readyAt - target.spawnedAt) };
}

/** Peak resident set size of a live process in MB of 10⁶ bytes (VmHWM: VmRSS's high-water mark). */
export function peakRssMB(pid) {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return (Number(match[1]) * 1024) / 1e6; // proc(5)'s kB are KiB
}
