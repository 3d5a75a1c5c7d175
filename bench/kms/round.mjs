// One round of the KMS benchmark on one database: start the KMS alone (timing spawn → readyz
// 200), then the ceiling; make the keys on the first round; check one answer of each target;
// then per operation the pair back to back, ceiling then KMS, each warmed up and loaded by wrk
// with the same requests (post.lua: a fixed 1 KiB text/plain body; the same headers); and read
// both processes' peak RSS before stopping them.
import { URL, fileURLToPath } from 'node:url';
import { withMainThreadCpu } from '../kit/main-thread-cpu.mjs';
import { startTarget } from '../kit/target-process.mjs';
import { runWrk } from '../kit/wrk.mjs';
import { checkOperation, createKeys, peakRssMB, startKms } from './kms-target.mjs';
import { writeKmsConfig, freePort } from './setup.mjs';

export const PAYLOAD_BYTES = 1024;
const OPERATIONS = [
  { op: 'encrypt', what: 'encrypt A256GCM/dir, 1 KiB' },
  { op: 'sign', what: 'sign ES256, 1 KiB' },
];
const LUA = fileURLToPath(new URL('post.lua', import.meta.url));
const CEILING = fileURLToPath(new URL('targets/ceiling.mjs', import.meta.url));

async function measure(target, op, common, load) {
  const wrk = {
    url: `https://127.0.0.1:${target.port}${target.path(op.op)}`,
    threads: 1,
    connections: load.connections,
    headers: common.headers,
    script: LUA,
    scriptArgs: [String(PAYLOAD_BYTES)],
  };
  await runWrk({ ...wrk, seconds: load.warmup });
  const result = await withMainThreadCpu(target.pid, () =>
    runWrk({ ...wrk, seconds: load.duration }),
  );
  const label = `${target.label}: ${op.what}`;
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

/**
 * `track` registers a started target with the runner's cleanup and returns it with a `stop`
 * that unregisters it; `profiling(name)` gives the Node options of a target (--cpu-prof).
 */
export async function runRound({
  run,
  database,
  credentials,
  load,
  track,
  profiling,
  kmsNodeOptions,
}) {
  const publicPort = await freePort();
  let adminPort = await freePort();
  while (adminPort === publicPort) adminPort = await freePort();
  const configFile = writeKmsConfig(credentials, {
    name: `kms-${database.key}-run${run}`,
    databaseUrl: database.url,
    publicPort,
    adminPort,
    logLevel: load.logLevel,
  });
  const { caPem: ca, authorization } = credentials;
  const nodeOptions = [...kmsNodeOptions, ...profiling(`kms-${database.key}-${run}`)];
  const kms = track(startKms({ configFile, adminPort, ca, nodeOptions }));
  const readyMs = await kms.ready; // alone on the box: the ceiling starts after
  const readyRssMB = peakRssMB(kms.pid);
  const ceiling = track(
    startTarget({
      script: CEILING,
      args: [credentials.dir],
      nodeOptions: profiling(`ceiling-${database.key}-${run}`),
    }),
  );
  const { port: ceilingPort } = await ceiling.ready;
  const start = database.keys ? 'restart (keys in the database)' : 'first (empty database)';
  database.keys ??= await createKeys({ port: publicPort, ca, authorization });
  const targets = [
    {
      name: 'ceiling',
      label: 'ceiling',
      pid: ceiling.pid,
      port: ceilingPort,
      path: (op) => `/${op}`,
    },
    {
      name: 'kms',
      label: `KMS on ${database.name}`,
      pid: kms.pid,
      port: publicPort,
      path: (op) => `/service/api/v1/elastic-keys/${database.keys[op]}/${op}`,
    },
  ];
  const headers = { authorization, 'content-type': 'text/plain' };
  const body = 'x'.repeat(PAYLOAD_BYTES);
  for (const { op } of OPERATIONS) {
    for (const t of targets) {
      await checkOperation({
        name: t.label,
        op,
        port: t.port,
        path: t.path(op),
        ca,
        headers,
        body,
      });
    }
  }
  const common = {
    run,
    database: database.name,
    headers: Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  };
  const results = [];
  for (const op of OPERATIONS) {
    for (const target of targets) results.push(await measure(target, op, common, load));
  }
  const memory = {
    readyRssMB,
    peakRssMB: peakRssMB(kms.pid),
    ceilingRssMB: peakRssMB(ceiling.pid),
  };
  await ceiling.stop();
  await kms.stop();
  return { results, process: { run, database: database.name, start, readyMs, ...memory } };
}
