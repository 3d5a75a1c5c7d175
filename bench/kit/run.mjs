// `pnpm bench:kit`: the service kit's overhead against a bare Fastify ceiling (ARCHITECTURE
// §10). Each target runs in its own Node process on 127.0.0.1 with the same certificate, is
// checked once (200 over TLS 1.3), warmed up, then loaded by `wrk -t1 -c32` with keep-alive;
// the whole set runs twice because run-to-run noise is about 8% in req/s. Prints markdown.
// Options: --runs 2 --duration 10 --warmup 3 --only public,ceiling --cpu-prof <dir>
import { rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { certificates } from './certificates.mjs';
import { summarizeProfiles } from './profile-summary.mjs';
import { withMainThreadCpu } from './main-thread-cpu.mjs';
import { markdownTable } from './report.mjs';
import { probe, startTarget } from './target-process.mjs';
import { TARGETS } from './targets.mjs';
import { ensureWrk, runWrk } from './wrk.mjs';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '2' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    only: { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});
const duration = Number(options.duration);
const load = { threads: 1, connections: Number(options.connections) };
const chosen = options.only?.split(',') ?? TARGETS.map((t) => t.name);
const targets = TARGETS.filter((t) => chosen.includes(t.name));

async function measure(target, tls, run) {
  const nodeOptions = options['cpu-prof']
    ? ['--cpu-prof', `--cpu-prof-dir=${options['cpu-prof']}`]
    : [];
  const server = startTarget({ script: target.script, args: target.args(tls.dir), nodeOptions });
  try {
    const info = await server.ready;
    const headers = info.authorization ? [`Authorization: ${info.authorization}`] : [];
    const check = await probe({
      port: info.port,
      path: target.path,
      ca: tls.caPem,
      headers: info.authorization ? { authorization: info.authorization } : {},
    });
    if (check.status !== 200 || check.protocol !== 'TLSv1.3') {
      throw new Error(`${target.name}: ${check.status} over ${check.protocol}: ${check.body}`);
    }
    const url = `https://127.0.0.1:${info.port}${target.path}`;
    await runWrk({ url, seconds: Number(options.warmup), ...load, headers });
    const result = await withMainThreadCpu(server.pid, () =>
      runWrk({ url, seconds: duration, ...load, headers }),
    );
    if (result.failures.length > 0)
      throw new Error(`${target.name}: ${result.failures.join('; ')}`);
    console.error(
      `run ${run} ${target.name}: ${result.rps.toFixed(0)} req/s, main thread ${(100 * result.cpu).toFixed(0)}%`,
    );
    return { run, name: target.name, label: target.label, ...result };
  } finally {
    await server.stop();
  }
}

ensureWrk();
const tls = await certificates();
const results = [];
try {
  for (let run = 1; run <= Number(options.runs); run++) {
    for (const target of targets) results.push(await measure(target, tls, run));
  }
} finally {
  rmSync(tls.dir, { recursive: true, force: true });
}
console.log(
  `\nwrk -t${load.threads} -c${load.connections} -d${duration}s --latency, keep-alive, TLS 1.3, ` +
    `127.0.0.1; Node ${process.version}; ${cpus().length} cores; ${new Date().toISOString()}\n`,
);
console.log(markdownTable(results));
if (options['cpu-prof']) console.log(`\n${summarizeProfiles(options['cpu-prof'])}`);
