// One round of a product benchmark on one database: start the service alone (timing spawn →
// readyz 200), then its ceiling; make the service's keys on the first round; build each
// target's request per operation and check one answer of each (TLS 1.3 and the product's own
// check; where the ceiling's answer differs in shape from the service's, a note says so); then
// per operation the pair back to back, ceiling then service, each warmed up and loaded by wrk
// with its request (bench/kit/post.lua; the same headers); and read both processes' peak RSS
// before stopping them. `bench` is the product's definition (bench/kit/product-run.mjs).
import { URL, fileURLToPath } from 'node:url';
import { withMainThreadCpu } from './main-thread-cpu.mjs';
import { peakRssMB, startProductServer } from './product-process.mjs';
import { freePort, writeServiceConfig } from './product-setup.mjs';
import { probe, startTarget } from './target-process.mjs';
import { runWrk } from './wrk.mjs';

const LUA = fileURLToPath(new URL('post.lua', import.meta.url));

/** Warm-up, then the measured wrk run with the main thread's CPU share. */
async function loadTarget(target, wrk, load) {
  await runWrk({ ...wrk, seconds: load.warmup });
  return withMainThreadCpu(target.pid, () => runWrk({ ...wrk, seconds: load.duration }));
}

async function measure(target, op, common, load) {
  const { path, body } = target.requests[op.op];
  const wrk = {
    url: `https://127.0.0.1:${target.port}${path}`,
    threads: 1,
    connections: load.connections,
    headers: common.headers,
    script: LUA,
    scriptArgs: [body],
  };
  const label = `${target.label}: ${op.what}`;
  const result = await loadTarget(target, wrk, load).catch((error) => {
    const ended = target.ended();
    // wrk only says it cannot connect; name the target that stopped under it.
    if (ended === undefined) throw error;
    throw new Error(`${label}: the target ended (${ended}) during the load`, { cause: error });
  });
  if (result.failures.length > 0) throw new Error(`${label}: ${result.failures.join('; ')}`);
  console.error(
    `run ${common.run} ${label}: ${result.rps.toFixed(0)} req/s, main thread ${(100 * result.cpu).toFixed(0)}%`,
  );
  return {
    run: common.run,
    database: common.database,
    op: op.op,
    name: target.name,
    label,
    ...result,
  };
}

/** One answer per operation and target, checked; returns notes on shapes that differ. */
async function checkAnswers(bench, targets) {
  const notes = [];
  for (const { op } of bench.operations) {
    const shapes = [];
    for (const target of targets) {
      const { path, body } = target.requests[op];
      const answer = await target.send(path, body);
      try {
        if (answer.protocol !== 'TLSv1.3') throw new Error(`answered over ${answer.protocol}`);
        shapes.push(bench.check(op, answer));
      } catch (error) {
        // The product's check names what is wrong, never the body (it may hold ciphertext).
        throw new Error(`${target.label} ${op}: ${error.message}`, { cause: error });
      }
    }
    if (shapes[0] !== shapes[1]) {
      notes.push(`${op}: the ceiling answers ${shapes[0]}; ${bench.label} answers ${shapes[1]}`);
    }
  }
  return notes;
}

/**
 * Writes the service's config and starts it; resolves once readyz answers 200. `sections` are
 * config sections of the product's own (writeServiceConfig).
 */
export async function startService(
  bench,
  { run, database, credentials, load, track, nodeOptions, sections },
) {
  const publicPort = await freePort();
  let adminPort = await freePort();
  while (adminPort === publicPort) adminPort = await freePort();
  const configFile = writeServiceConfig(credentials, {
    name: `${bench.product}-${database.key}-run${run}`,
    databaseUrl: database.url,
    publicPort,
    adminPort,
    logLevel: load.logLevel,
    ...(sections === undefined ? {} : { sections }),
  });
  const ca = credentials.caPem;
  const service = track(
    startProductServer({ product: bench.product, configFile, adminPort, ca, nodeOptions }),
  );
  const readyMs = await service.ready; // alone on the box: the ceiling starts after
  return { service, publicPort, readyMs, readyRssMB: peakRssMB(service.pid) };
}

function sender(port, ca, headers) {
  return (path, body) => probe({ port, path, ca, method: 'POST', headers, body });
}

/** Starts the ceiling; resolves with it and its ready line (port, key ids). */
async function startCeiling(bench, { run, database, credentials, track, profiling }) {
  const ceiling = track(
    startTarget({
      script: bench.ceiling,
      args: bench.ceilingArgs(credentials),
      nodeOptions: profiling(`ceiling-${database.key}-${run}`),
    }),
  );
  return { ceiling, info: await ceiling.ready };
}

/** The pair as measure() takes them, each with its request per operation. */
async function prepareTargets(bench, { started, ceiling, database, ca, headers }) {
  const targets = [
    {
      kind: 'ceiling',
      label: 'ceiling',
      pid: ceiling.ceiling.pid,
      ended: ceiling.ceiling.ended,
      ...ceiling.info,
    },
    {
      kind: 'service',
      label: `${bench.label} on ${database.name}`,
      pid: started.service.pid,
      ended: started.service.ended,
      port: started.publicPort,
      ids: database.keys,
    },
  ];
  for (const target of targets) {
    target.name = target.kind;
    target.send = sender(target.port, ca, headers);
    target.requests = await bench.requests({
      kind: target.kind,
      ids: target.ids,
      send: target.send,
    });
  }
  return targets;
}

/**
 * `track` registers a started target with the runner's cleanup and returns it with a `stop`
 * that unregisters it; `profiling(name)` gives the Node options of a target (--cpu-prof);
 * `nodeOptions` are the service's own.
 */
export async function runRound(bench, options) {
  const { run, database, credentials, load, profiling } = options;
  const nodeOptions = [
    ...options.nodeOptions,
    ...profiling(`${bench.product}-${database.key}-${run}`),
  ];
  const started = await startService(bench, { ...options, nodeOptions });
  const ceiling = await startCeiling(bench, options);
  const { caPem: ca, authorization } = credentials;
  const start = database.keys ? 'restart (keys in the database)' : 'first (empty database)';
  const json = { authorization, 'content-type': 'application/json' };
  database.keys ??= await bench.createKeys(sender(started.publicPort, ca, json));
  const headers = { authorization, 'content-type': bench.contentType };
  const targets = await prepareTargets(bench, { started, ceiling, database, ca, headers });
  const notes = await checkAnswers(bench, targets);
  const common = {
    run,
    database: database.name,
    headers: Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  };
  const results = [];
  for (const op of bench.operations) {
    for (const target of targets) results.push(await measure(target, op, common, load));
  }
  const { service, readyMs, readyRssMB } = started;
  const memory = {
    readyRssMB,
    peakRssMB: peakRssMB(service.pid),
    ceilingRssMB: peakRssMB(ceiling.ceiling.pid),
  };
  await ceiling.ceiling.stop();
  await service.stop();
  return { results, notes, process: { run, database: database.name, start, readyMs, ...memory } };
}
