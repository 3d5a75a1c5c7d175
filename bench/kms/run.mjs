// `pnpm bench:kms`: the KMS's encrypt (A256GCM/dir) and sign (ES256) of a 1 KiB payload
// against a bare Fastify ceiling doing the same jose operation with an in-memory key, on SQLite
// and PostgreSQL (issue 3, ARCHITECTURE §10). Each target runs in its own Node process on
// 127.0.0.1 with the same certificate and gets the same requests from `wrk -t1 -c32` with
// keep-alive; pairs run back to back (ceiling, KMS) and each ratio compares a pair. Also the
// KMS's time from spawn to readyz 200 and its peak RSS. Prints markdown to stdout; removes its
// processes, temporary files and PostgreSQL database however it ends (SIGINT/SIGTERM too).
// Options: --runs 2 --duration 10 --warmup 3 --connections 32 --databases sqlite,postgres
//   --postgres <admin url> --log-level warn --kms-node-options="<flags>" --cpu-prof <dir>
// (--kms-node-options defaults to packages/cli/node-options, the flags the KMS ships with)
import { readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { summarizeProfiles } from '../kit/profile-summary.mjs';
import { ensureWrk } from '../kit/wrk.mjs';
import { createDatabase, dropDatabase } from './postgres.mjs';
import { kmsReport } from './report.mjs';
import { PAYLOAD_BYTES, runRound } from './round.mjs';
import { prepareCredentials } from './setup.mjs';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '2' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    databases: { type: 'string', default: 'sqlite,postgres' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'log-level': { type: 'string', default: 'warn' },
    'kms-node-options': { type: 'string', default: '' },
    'cpu-prof': { type: 'string' },
  },
});
const load = {
  duration: Number(options.duration),
  warmup: Number(options.warmup),
  connections: Number(options.connections),
  logLevel: options['log-level'],
};
// The allocator setting the launcher and the image ship with; the ceiling inherits it too.
process.env.MALLOC_ARENA_MAX ??= '2';
// By default the KMS runs with the heap limits it ships with (packages/cli/node-options).
const shippedNodeOptions = readFileSync(
  join(import.meta.dirname, '..', '..', 'packages', 'cli', 'node-options'),
  'utf8',
).trim();
const kmsNodeOptions = (options['kms-node-options'] || shippedNodeOptions)
  .split(' ')
  .filter((flag) => flag !== '');

const live = new Set(); // started targets not yet stopped
const dropLater = []; // databases to drop at the end, whatever happens
let credentials;
let cleaning;

function track(target) {
  live.add(target);
  return { ...target, stop: () => (live.delete(target), target.stop()) };
}

function cleanup() {
  cleaning ??= (async () => {
    await Promise.allSettled([...live].map((target) => target.stop()));
    for (const drop of dropLater.splice(0)) {
      await drop().catch((error) => console.error(`dropping a database: ${error.message}`));
    }
    if (credentials) rmSync(credentials.dir, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.once(signal, () => void cleanup().finally(() => process.exit(code)));
}

const profiling = (name) =>
  options['cpu-prof']
    ? ['--cpu-prof', `--cpu-prof-dir=${options['cpu-prof']}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];

async function openDatabase(kind) {
  if (kind === 'sqlite') {
    return { key: kind, name: 'SQLite', url: `sqlite:${join(credentials.dir, 'kms.db')}` };
  }
  if (kind !== 'postgres') throw new Error(`unknown database ${kind}`);
  const name = `bench_kms_${process.pid}`;
  dropLater.push(() => dropDatabase(options.postgres, name));
  return { key: kind, name: 'PostgreSQL', url: await createDatabase(options.postgres, name) };
}

const results = [];
const processes = [];
const databases = [];
try {
  ensureWrk();
  credentials = await prepareCredentials();
  for (const kind of options.databases.split(',')) databases.push(await openDatabase(kind));
  for (let run = 1; run <= Number(options.runs); run++) {
    for (const database of databases) {
      const round = await runRound({
        run,
        database,
        credentials,
        load,
        track,
        profiling,
        kmsNodeOptions,
      });
      results.push(...round.results);
      processes.push(round.process);
    }
  }
} finally {
  await cleanup();
}
const flags = kmsNodeOptions.length > 0 ? `, KMS node options \`${kmsNodeOptions.join(' ')}\`` : '';
console.log(
  `\nwrk -t1 -c${load.connections} -d${load.duration}s --latency (after ${load.warmup} s of ` +
    `warm-up), POST ${PAYLOAD_BYTES} B text/plain, keep-alive, TLS 1.3, 127.0.0.1; KMS log level ` +
    `${load.logLevel}${flags}; Node ${process.version}; ${cpus().length} cores; ${new Date().toISOString()}\n`,
);
console.log(kmsReport({ results, processes, databases: databases.map((d) => d.name) }));
if (options['cpu-prof']) console.log(`\n${summarizeProfiles(options['cpu-prof'])}`);
