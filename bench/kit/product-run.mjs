// The runner of a product benchmark (`pnpm bench:kms`, `pnpm bench:jose`): the product's
// operations against a bare Fastify + jose ceiling, on SQLite and PostgreSQL, `runs` rounds per
// database (bench/kit/product-round.mjs); prints markdown to stdout; removes its processes,
// temporary files and PostgreSQL database however it ends (SIGINT/SIGTERM too).
// Options: --runs <bench.defaultRuns> --duration 10 --warmup 3 --connections 32
//   --databases sqlite,postgres --postgres <admin url> --log-level warn
//   --<product>-node-options="<flags>" --cpu-prof <dir> --only <op>,<op> (e.g. to profile one)
// (--<product>-node-options defaults to packages/cli/node-options, the flags the CLI ships with)
//
// `bench`, the product's definition:
// - product: the CLI product (`cryptoutil <product> server`); label: its name in the tables
// - scopes: the benchmark API key's; contentType: of every request
// - ceiling: the ceiling's script, started with ceilingArgs(credentials); its ready line
//   carries `ids`, the in-memory keys' names for its requests
// - operations: [{ op, what }], measured in this order
// - createKeys(send): the service's keys (`ids`), made once per database through
//   `send(path, body)`, a JSON POST with the API key
// - requests({ kind: 'ceiling' | 'service', ids, send }): { [op]: { path, body } } of a target
// - check(op, answer): throws unless the answer ({ status, body }) is right; returns its shape
// - targets: { ratio, rssMB?, readyMs? }; describeRequests: a phrase for the report's header
import { readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createDatabase, dropDatabase } from './postgres.mjs';
import { summarizeProfiles } from './profile-summary.mjs';
import { productReport } from './product-report.mjs';
import { runRound } from './product-round.mjs';
import { prepareCredentials } from './product-setup.mjs';
import { ensureWrk } from './wrk.mjs';

/** The Node flags the CLI ships with (packages/cli/node-options), as a list. */
export function shippedNodeOptions() {
  const file = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'node-options');
  return readFileSync(file, 'utf8')
    .trim()
    .split(' ')
    .filter((flag) => flag !== '');
}

/**
 * The V8 flags the built command sets itself (packages/cli/src/gc-tuning.ts: NODE_OPTIONS
 * cannot carry them), for the report's line of flags.
 */
export async function commandGcFlags() {
  const file = join(import.meta.dirname, '..', '..', 'packages', 'cli', 'dist', 'gc-tuning.js');
  const { GC_FLAGS } = await import(pathToFileURL(file).href);
  return GC_FLAGS;
}

function readOptions(bench) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: String(bench.defaultRuns) },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
      databases: { type: 'string', default: 'sqlite,postgres' },
      postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      'log-level': { type: 'string', default: 'warn' },
      [`${bench.product}-node-options`]: { type: 'string', default: '' },
      'cpu-prof': { type: 'string' },
      only: { type: 'string' },
    },
  });
  // By default the service runs with the heap limits it ships with (packages/cli/node-options).
  const given = values[`${bench.product}-node-options`];
  const nodeOptions = given ? given.split(' ').filter((flag) => flag !== '') : shippedNodeOptions();
  const load = {
    duration: Number(values.duration),
    warmup: Number(values.warmup),
    connections: Number(values.connections),
    logLevel: values['log-level'],
  };
  const chosen = values.only?.split(',') ?? bench.operations.map(({ op }) => op);
  const operations = bench.operations.filter(({ op }) => chosen.includes(op));
  if (operations.length !== chosen.length)
    throw new Error(`--only: not all of ${values.only} exist`);
  return { ...values, runs: Number(values.runs), nodeOptions, load, operations };
}

/**
 * Started targets, databases to drop and the credentials' directory, cleaned up once (also on
 * SIGINT/SIGTERM). A tracked target is anything with `stop()`.
 */
export function createCleanup() {
  const live = new Set();
  const dropLater = [];
  const state = { credentials: undefined, cleaning: undefined };
  const cleanup = () => {
    state.cleaning ??= (async () => {
      await Promise.allSettled([...live].map((target) => target.stop()));
      for (const drop of dropLater.splice(0)) {
        await drop().catch((error) => console.error(`dropping a database: ${error.message}`));
      }
      if (state.credentials) rmSync(state.credentials.dir, { recursive: true, force: true });
    })();
    return state.cleaning;
  };
  const track = (target) => {
    live.add(target);
    return { ...target, stop: () => (live.delete(target), target.stop()) };
  };
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ]) {
    process.once(signal, () => void cleanup().finally(() => process.exit(code)));
  }
  return { state, track, cleanup, dropLater };
}

/** SQLite in the credentials' directory, or a fresh PostgreSQL database dropped at cleanup. */
export async function openDatabase(kind, { product, options, credentials, dropLater }) {
  if (kind === 'sqlite') {
    return { key: kind, name: 'SQLite', url: `sqlite:${join(credentials.dir, `${product}.db`)}` };
  }
  if (kind !== 'postgres') throw new Error(`unknown database ${kind}`);
  const name = `bench_${product}_${process.pid}`;
  dropLater.push(() => dropDatabase(options.postgres, name));
  return { key: kind, name: 'PostgreSQL', url: await createDatabase(options.postgres, name) };
}

async function printReport(bench, options, measured) {
  const { load, nodeOptions } = options;
  const own = (await commandGcFlags()).join(' ');
  const flags =
    (nodeOptions.length > 0 ? `, ${bench.label} node options \`${nodeOptions.join(' ')}\`` : '') +
    `, set by the command itself \`${own}\``;
  console.log(
    `\nwrk -t1 -c${load.connections} -d${load.duration}s --latency (after ${load.warmup} s of ` +
      `warm-up), ${bench.describeRequests}, keep-alive, TLS 1.3, 127.0.0.1; ${bench.label} log ` +
      `level ${load.logLevel}${flags}; Node ${process.version}; ${cpus().length} cores; ${new Date().toISOString()}\n`,
  );
  console.log(productReport(bench, measured));
  if (options['cpu-prof']) console.log(`\n${summarizeProfiles(options['cpu-prof'])}`);
}

/** The Node options that make a target write its CPU profile to `dir` (none without one). */
function profilingOf(dir) {
  return (name) =>
    dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

export async function runProductBench(definition) {
  const options = readOptions(definition);
  const bench = { ...definition, operations: options.operations };
  // The allocator setting the launcher and the image ship with; the ceiling inherits it too.
  process.env.MALLOC_ARENA_MAX ??= '2';
  const { state, track, cleanup, dropLater } = createCleanup();
  const profiling = profilingOf(options['cpu-prof']);
  const measured = { results: [], notes: new Set(), processes: [], databases: [] };
  const databases = [];
  try {
    ensureWrk();
    const credentials = await prepareCredentials({ product: bench.product, scopes: bench.scopes });
    state.credentials = credentials;
    const context = { product: bench.product, options, credentials, dropLater };
    for (const kind of options.databases.split(','))
      databases.push(await openDatabase(kind, context));
    for (let run = 1; run <= options.runs; run++) {
      for (const database of databases) {
        const round = await runRound(bench, {
          run,
          database,
          credentials,
          load: options.load,
          track,
          profiling,
          nodeOptions: options.nodeOptions,
        });
        measured.results.push(...round.results);
        measured.processes.push(round.process);
        round.notes.forEach((note) => measured.notes.add(note));
      }
    }
  } finally {
    await cleanup();
  }
  measured.databases = databases.map((d) => d.name);
  await printReport(bench, options, { ...measured, notes: [...measured.notes] });
}
