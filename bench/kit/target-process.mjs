// Starts one benchmark target in its own Node process, waits until it is ready (by default its
// JSON ready line on stdout), checks it answers 200 over TLS 1.3 with a verified certificate,
// and stops it (SIGTERM, then SIGKILL).
import { spawn } from 'node:child_process';
import { request } from 'node:https';
import { createInterface } from 'node:readline';

const READY_TIMEOUT_MS = 30_000;

/** The default readiness: the target's first stdout line, a JSON object (targets/ready.mjs). */
const firstJsonLine = (child) =>
  new Promise((resolve) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  });

/**
 * `waitReady(child, signal)` may replace the ready line (e.g. polling a health endpoint; the
 * signal aborts when the target exits or times out); `stdout` is the child's stdout as spawn
 * takes it. `spawnedAt` is performance.now() just before the spawn.
 */
export function startTarget({
  script,
  args,
  nodeOptions = [],
  stdout = 'pipe',
  waitReady = firstJsonLine,
}) {
  const spawnedAt = globalThis.performance.now();
  const child = spawn(process.execPath, [...nodeOptions, script, ...args], {
    stdio: ['ignore', stdout, 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const abort = new globalThis.AbortController();
  const ready = new Promise((resolve, reject) => {
    const timer = globalThis.setTimeout(() => {
      abort.abort();
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    const settle = (outcome) => {
      globalThis.clearTimeout(timer);
      outcome();
    };
    waitReady(child, abort.signal).then(
      (info) => settle(() => resolve(info)),
      (error) => settle(() => reject(error)),
    );
    exited.then((code) => {
      abort.abort();
      settle(() => reject(new Error(`${script} exited with ${code} before ready`)));
    });
  });
  return {
    pid: child.pid,
    spawnedAt,
    ready,
    /** undefined while the process runs; then how it ended ("exit code 0", "signal SIGKILL"). */
    ended: () =>
      child.exitCode !== null || child.signalCode !== null
        ? (child.signalCode ?? `exit code ${child.exitCode}`)
        : undefined,
    async stop() {
      const killer = globalThis.setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      const code = await exited;
      globalThis.clearTimeout(killer);
      return code;
    },
  };
}

/** One request (GET unless `method`); resolves with status, TLS protocol and body. */
export function probe({ port, path, ca, headers = {}, method = 'GET', body }) {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, ca, headers, method, minVersion: 'TLSv1.3', agent: false },
      (res) => {
        const protocol = res.socket.getProtocol();
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, protocol, body: text }));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}
