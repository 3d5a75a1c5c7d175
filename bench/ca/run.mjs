// `pnpm bench:ca`: the CA against its yardsticks (issue 5, ARCHITECTURE §10), on SQLite and
// PostgreSQL, in one run:
// - issuance from a CSR (P-256 and RSA-2048 leaves made once by openssl, the default P-384
//   issuing CA, profile tls-server) through POST enroll, loaded by `wrk -t1 -c32` with
//   keep-alive over TLS 1.3, against the in-process ceiling on one core (@peculiar/x509; the
//   CA's own issueCertificate and the bare signature for reference): issuance.mjs;
// - OCSP from the CA's plain-HTTP responder (POST and GET, `wrk -t1 -c8`) against OpenSSL's
//   `openssl ocsp -index … -port` on the same serials and request shape: ocsp.mjs;
// - CRL generation for 100,000 revoked entries: the CA's buildCrl against `openssl ca -gencrl`,
//   median of 3 each: crl.mjs (once, not per database: no database is involved).
// The CA runs as `cryptoutil ca server` (the built CLI, `pnpm run build` first) with the Node
// flags it ships with; everything it and OpenSSL need lives in one temporary directory, removed
// with the processes and the PostgreSQL database however the run ends. Prints markdown.
// Options: --runs 1 --duration 10 --warmup 3 --connections 32 --ocsp-connections 8
//   --in-flight 4 --ceiling-duration 5 --ocsp-certificates 50 --crl-entries 100000
//   --crl-repeats 3 --databases sqlite,postgres --postgres <admin url> --log-level warn
//   --ca-node-options="<flags>" --only issuance,ocsp,crl
import { mkdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { peakRssMB } from '../kit/product-process.mjs';
import {
  commandGcFlags,
  createCleanup,
  openDatabase,
  shippedNodeOptions,
} from '../kit/product-run.mjs';
import { prepareCredentials } from '../kit/product-setup.mjs';
import { ensureWrk } from '../kit/wrk.mjs';
import { caReport } from './ca-report.mjs';
import { startCa } from './ca-service.mjs';
import { compareCrl } from './crl.mjs';
import { measureIssuance } from './issuance.mjs';
import { measureOcsp } from './ocsp.mjs';
import { KEY_TYPES, makeCsrs, openssl } from './openssl.mjs';
import { makeOpensslResponderCa } from './openssl-responder.mjs';

// Issue 5's targets: issuance ≥ 0.5 of the ceiling, OCSP ≥ 1.5 × OpenSSL's responder, a CRL
// of 100,000 entries within 2 × the time of `openssl ca -gencrl`.
const TARGETS = { issuance: 0.5, ocsp: 1.5, crl: 2 };
const PARTS = ['issuance', 'ocsp', 'crl'];

function readOptions() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '1' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
      'ocsp-connections': { type: 'string', default: '8' },
      'in-flight': { type: 'string', default: '4' },
      'ceiling-duration': { type: 'string', default: '5' },
      'ocsp-certificates': { type: 'string', default: '50' },
      'crl-entries': { type: 'string', default: '100000' },
      'crl-repeats': { type: 'string', default: '3' },
      databases: { type: 'string', default: 'sqlite,postgres' },
      postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      'log-level': { type: 'string', default: 'warn' },
      'ca-node-options': { type: 'string', default: '' },
      only: { type: 'string', default: PARTS.join(',') },
    },
  });
  const parts = values.only.split(',');
  const unknown = parts.filter((part) => !PARTS.includes(part));
  if (unknown.length > 0) throw new Error(`--only: no part ${unknown.join(', ')}`);
  const given = values['ca-node-options'].split(' ').filter((flag) => flag !== '');
  return {
    postgres: values.postgres,
    databases: values.databases.split(','),
    runs: Number(values.runs),
    parts,
    nodeOptions: given.length > 0 ? given : shippedNodeOptions(),
    load: {
      duration: Number(values.duration),
      warmup: Number(values.warmup),
      logLevel: values['log-level'],
    },
    connections: Number(values.connections),
    ocspConnections: Number(values['ocsp-connections']),
    inFlight: Number(values['in-flight']),
    ceilingDuration: Number(values['ceiling-duration']),
    ocspCertificates: Number(values['ocsp-certificates']),
    crlEntries: Number(values['crl-entries']),
    crlRepeats: Number(values['crl-repeats']),
  };
}

/** One database: start the CA, then issuance and OCSP as chosen; returns what was measured. */
async function runRound({ run, database, credentials, csrs, dirs, options, track }) {
  const dir = join(dirs.work, `${database.key}-${run}`);
  mkdirSync(dir);
  const start = database.started ? 'restart (CAs in the database)' : 'first (empty database)';
  database.started = true;
  const ca = await startCa({
    run,
    database,
    credentials,
    load: options.load,
    track,
    nodeOptions: options.nodeOptions,
  });
  const chain = await ca.saveCaCertificates(dir);
  const common = { run, database: database.name };
  const round = { issuance: [], ocsp: [], notes: [], sizes: undefined };
  if (options.parts.includes('issuance')) {
    const issued = await measureIssuance({ ca, csrs, chain, dir, options, common, track });
    round.issuance = issued.rows;
    round.notes.push(...issued.notes);
  }
  if (options.parts.includes('ocsp')) {
    const ocsp = await measureOcsp({
      ca,
      csrPem: csrs[0].pem,
      chain,
      dir,
      opensslDir: dirs.openssl,
      options,
      common,
      track,
    });
    round.ocsp = ocsp.rows;
    round.sizes = ocsp.sizes;
  }
  round.process = {
    run,
    database: database.name,
    start,
    readyMs: ca.readyMs,
    readyRssMB: ca.readyRssMB,
    peakRssMB: peakRssMB(ca.service.pid),
  };
  await ca.service.stop();
  return round;
}

async function header(options) {
  const flags = `${options.nodeOptions.join(' ')}\`, set by the command itself \`${(await commandGcFlags()).join(' ')}`;
  const version = openssl(['version']).stdout.trim();
  return (
    `\n\`${['pnpm bench:ca', ...process.argv.slice(2)].join(' ')}\`: issuance \`wrk -t1 ` +
    `-c${options.connections} -d${options.load.duration}s --latency\` (after ${options.load.warmup} s ` +
    `of warm-up), keep-alive, TLS 1.3; in-process ceilings ${options.ceilingDuration} s each (after 1 s), ` +
    `pinned to one core; OCSP \`wrk -t1 -c${options.ocspConnections} -d${options.load.duration}s\` ` +
    `(after ${options.load.warmup} s), plain HTTP; CRL median of ${options.crlRepeats}; 127.0.0.1; ` +
    `CA log level ${options.load.logLevel}, node options \`${flags}\`; Node ${process.version}; ` +
    `${version}; ${cpus().length} cores, load average ${loadavg()[1].toFixed(1)} over the last 5 ` +
    `minutes at the end; ${new Date().toISOString()}\n`
  );
}

const options = readOptions();
// The allocator setting the launcher and the image ship with (as bench/kit/product-run.mjs).
process.env.MALLOC_ARENA_MAX ??= '2';
const { state, track, cleanup, dropLater } = createCleanup();
const measured = { issuance: [], ocsp: [], processes: [], notes: [], crl: undefined };
try {
  ensureWrk();
  const credentials = await prepareCredentials({ product: 'ca', scopes: ['ca:enroll', 'ca:read'] });
  state.credentials = credentials; // cleanup removes its directory, and all below it
  const dirs = { work: join(credentials.dir, 'work'), openssl: join(credentials.dir, 'openssl') };
  mkdirSync(dirs.work);
  mkdirSync(dirs.openssl);
  const files = makeCsrs(dirs.work);
  const csrs = KEY_TYPES.map((type) => ({
    ...type,
    file: files[type.key],
    pem: readFileSync(files[type.key], 'utf8'),
  }));
  makeOpensslResponderCa(dirs.openssl);
  const databases = [];
  const context = { product: 'ca', options, credentials, dropLater };
  if (options.parts.includes('issuance') || options.parts.includes('ocsp')) {
    for (const kind of options.databases) databases.push(await openDatabase(kind, context));
  }
  for (let run = 1; run <= options.runs; run++) {
    for (const database of databases) {
      const round = await runRound({ run, database, credentials, csrs, dirs, options, track });
      measured.issuance.push(...round.issuance);
      measured.ocsp.push(...round.ocsp);
      measured.processes.push(round.process);
      for (const note of round.notes) {
        if (!measured.notes.includes(note)) measured.notes.push(note);
      }
      if (round.sizes !== undefined) {
        measured.notes.push(
          `OCSP answers on ${database.name} checked by \`openssl ocsp -respin\` (good, verify OK): the CA's ${round.sizes.ca} B, OpenSSL's ${round.sizes.openssl} B (each with its responder certificate)`,
        );
      }
    }
  }
  if (options.parts.includes('crl')) {
    const crlDir = join(dirs.work, 'crl');
    mkdirSync(crlDir);
    measured.crl = await compareCrl({
      dir: crlDir,
      count: options.crlEntries,
      repeats: options.crlRepeats,
      nodeOptions: options.nodeOptions,
      track,
    });
    console.error(
      `CRL ${options.crlEntries}: CA ${measured.crl.ours.ms.map((ms) => ms.toFixed(0)).join(', ')} ms, ` +
        `openssl ${measured.crl.openssl.ms.map((ms) => ms.toFixed(0)).join(', ')} ms`,
    );
  }
} finally {
  await cleanup();
}
console.log(await header(options));
console.log(caReport(measured, { targets: TARGETS, ...options }));
