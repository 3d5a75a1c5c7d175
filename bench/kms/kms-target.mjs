// The KMS as a benchmark target: `cryptoutil kms server -c <file>` in its own Node process
// (the built CLI, as an operator runs it), ready at the first 200 of GET /admin/v1/readyz polled
// every 10 ms; its keys made over the API; the answers checked once before load; and its peak
// resident memory (VmHWM, proc(5)) read from /proc before it stops.
import { Buffer } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL, fileURLToPath } from 'node:url';
import { probe, startTarget } from '../kit/target-process.mjs';

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
  throw new Error('the KMS stopped before readyz answered 200');
}

/** Starts the KMS; `ready` resolves with the milliseconds from spawn to the first readyz 200. */
export function startKms({ configFile, adminPort, ca, nodeOptions = [] }) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`pnpm run build\` first`);
  const target = startTarget({
    script: CLI,
    args: ['kms', 'server', '-c', configFile],
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

/** Creates the two benchmark keys and returns their ids. */
export async function createKeys({ port, ca, authorization }) {
  const ids = {};
  for (const [op, name, algorithm] of [
    ['encrypt', 'bench-enc', 'A256GCM/dir'],
    ['sign', 'bench-sig', 'ES256'],
  ]) {
    const res = await probe({
      port,
      path: '/service/api/v1/elastic-keys',
      ca,
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ name, algorithm }),
    });
    if (res.status !== 201) throw new Error(`creating ${algorithm} key: HTTP ${res.status}`);
    ids[op] = JSON.parse(res.body).id;
  }
  return ids;
}

const EXPECTED = {
  encrypt: { parts: 5, header: { alg: 'dir', enc: 'A256GCM' } },
  sign: { parts: 3, header: { alg: 'ES256' } },
};

/**
 * One request as wrk will send it; throws unless the answer is 200 over TLS 1.3 and a compact
 * JWE (RFC 7516 §7.1, five parts) or JWS (RFC 7515 §7.1, three parts) with the expected header.
 */
export async function checkOperation({ name, op, port, path, ca, headers, body }) {
  const res = await probe({ port, path, ca, method: 'POST', headers, body });
  const { parts, header } = EXPECTED[op];
  const segments = res.body.split('.');
  let protectedHeader = {};
  try {
    protectedHeader = JSON.parse(Buffer.from(segments[0] ?? '', 'base64url').toString('utf8'));
  } catch {
    // reported below
  }
  const fits = Object.entries(header).every(([k, v]) => protectedHeader[k] === v);
  if (res.status !== 200 || res.protocol !== 'TLSv1.3' || segments.length !== parts || !fits) {
    // The body is a problem document or ciphertext, never the key; keep the message short.
    throw new Error(`${name} ${op}: HTTP ${res.status} over ${res.protocol}, not a compact ${op}`);
  }
}
