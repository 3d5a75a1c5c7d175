#!/usr/bin/env node
// Runs what each product's compose file (deployments/<product>/compose.yml) starts, on loopback
// and without Docker (ARCHITECTURE §8): the compose commands with the compose config files and
// freshly made secrets (paths rewritten as in check-config.mjs), changing through `-s` and env
// only what one host forces: listeners on 127.0.0.1 and free ports, the SQLite file, a fresh
// PostgreSQL database on TEST_POSTGRES_URL (dropped after) and a collector address on loopback.
// Listeners a product adds (the CA's plain-HTTP revocation listener) move to loopback and free
// ports the same way, through the scenario's listeners(); the compose service's environment
// (CRYPTOUTIL_*) is passed on as compose passes it.
// For every product it checks: <product>-migrate applies the migrations; <product>-pg-1 and
// <product>-pg-2, started together, both pass the image healthcheck's command (`<product>
// health livez`) and readyz (barrier unsealed from the same secret files); the product's own
// checks (exercise-scenarios.mjs) with the generated API key: what one instance makes, the
// other serves (one database), and <product>-sqlite does not (its own); SIGTERM drains each
// within the service's compose stop_grace_period. Needs `pnpm run build`; PostgreSQL parts are
// skipped when unreachable. The CA's checks run openssl (OPENSSL, default `openssl` on PATH).
//
//   node deployments/scripts/exercise.mjs [kms] [jose] [ca]     (default: every product)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { configFiles, hostCopy, readCompose } from './compose-model.mjs';
import { scenarios } from './exercise-scenarios.mjs';
import { CLI, freePort, runCli, startCli, tail, waitFor } from './loopback.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pg = createRequire(join(root, 'packages/db/package.json'))('pg');
const products = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(scenarios);
const unknown = products.filter((p) => !(p in scenarios));
if (unknown.length > 0) throw new Error(`no exercise for ${unknown.join(', ')}`);
const work = mkdtempSync(join(tmpdir(), 'cryptoutil-exercise-'));
const secrets = join(work, 'secrets');
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  if (!ok) failures += 1;
};

// Secrets exactly as an operator makes them; each product's API key is printed once on stdout.
const made = execFileSync(
  join(root, 'deployments/scripts/make-secrets.sh'),
  ['--dir', secrets, ...products],
  {
    env: { ...process.env, CRYPTOUTIL_CLI: `${process.execPath} ${CLI}` },
    stdio: ['ignore', 'pipe', 'ignore'],
  },
).toString();
const apiKeyOf = (product) => new RegExp(`API key for ${product}[^:]*: (\\S+)`).exec(made)?.[1];
const collector = `https://127.0.0.1:${await freePort()}`; // nothing listens: exports fail

/** One product's compose file as this host runs it: its services and their host commands. */
function deployment(product) {
  const compose = readCompose(join(root, `deployments/${product}/compose.yml`), {
    ...process.env,
    [`${product.toUpperCase()}_SECRETS_DIR`]: join(secrets, product),
    OTEL_SECRETS_DIR: join(secrets, 'otel'),
  });
  const dir = join(work, product);
  mkdirSync(dir);
  const service = (name) => compose.services.find((s) => s.name === `${product}-${name}`);

  // The compose command of `name` with its config files as host copies, plus host overrides.
  function commandOf(name, extra = []) {
    const s = service(name);
    const files = new Map(configFiles(s.command).map((f, n) => [f, hostCopy(s, f, dir, n)]));
    return [...s.command.map((arg) => files.get(arg) ?? arg), ...extra];
  }

  return { product, dir, service, commandOf };
}

/** Starts service `name` of deployment `d` as its compose command does, on free loopback ports. */
async function startServer(d, name, databaseUrl) {
  const s = d.service(name);
  const [port, admin] = [await freePort(), await freePort()];
  const { args: more = [], ...facts } = (await scenarios[d.product].listeners?.()) ?? {};
  const args = d.commandOf(name, [
    ...['-s', 'public.address=127.0.0.1', '-s', `public.port=${port}`],
    ...['-s', `admin.port=${admin}`, '-s', `telemetry.otlp.endpoint=${collector}`],
    ...more,
  ]);
  const env = { ...s.environment, CRYPTOUTIL_DATABASE__URL: databaseUrl };
  const proc = startCli(args, join(d.dir, `${s.name}.log`), env);
  // The image healthcheck: `<product> health livez -c <CRYPTOUTIL_CONFIG>`, with the moved port.
  const probe = (what) => {
    const files = s.environment.CRYPTOUTIL_CONFIG.split(/\s+/);
    const c = files.flatMap((f, n) => ['-c', hostCopy(s, f, d.dir, 10 + n)]);
    const healthArgs = [s.environment.CRYPTOUTIL_PRODUCT, 'health', what];
    return runCli([...healthArgs, ...c, '-s', `admin.port=${admin}`], env);
  };
  const base = `https://127.0.0.1:${port}`;
  return { ...facts, name: s.name, product: d.product, proc, probe, graceMs: s.stopGraceMs, base };
}

async function healthy(server) {
  try {
    await waitFor(
      `${server.name} livez`,
      60_000,
      async () => (await server.probe('livez')).code === 0,
    );
    check(true, `${server.name}: healthcheck (${server.product} health livez) passes`);
    const ready = await server.probe('readyz');
    check(ready.code === 0, `${server.name}: readyz (database reachable, barrier unsealed)`);
  } catch (err) {
    check(false, `${server.name}: ${err.message}\n${tail(server.proc.log)}`);
  }
}

async function stop(server) {
  const r = await server.proc.stop(server.graceMs);
  const grace = `${server.graceMs / 1000} s`;
  const how = r === 'timeout' ? `no exit in ${grace}` : `code ${r.code}, signal ${r.signal}`;
  const ok = r !== 'timeout' && r.code === 0;
  const what = `${server.name}: SIGTERM drains and exits 0 within stop_grace_period ${grace} (${how})`;
  check(ok, `${what}${ok ? '' : `\n${tail(server.proc.log)}`}`);
}

async function postgresRun(d, base, context) {
  const name = `${d.product}_exercise_${Date.now().toString(36)}`;
  const adminDb = new pg.Client({ connectionString: base });
  await adminDb.connect();
  await adminDb.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const servers = [];
  try {
    const migrate = await runCli(d.commandOf('migrate'), { CRYPTOUTIL_DATABASE__URL: `${url}` });
    const said = migrate.stdout.split('\n').find((l) => l.includes('migrations')) ?? migrate.stderr;
    check(migrate.code === 0, `${d.product}-migrate: ${said.trim()}`);
    servers.push(...(await Promise.all(['pg-1', 'pg-2'].map((n) => startServer(d, n, `${url}`)))));
    await Promise.all(servers.map(healthy));
    const [one, two] = servers;
    return await scenarios[d.product].shared({ ...context, one, two });
  } finally {
    await Promise.all(servers.map(stop));
    await adminDb.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminDb.end();
  }
}

async function exercise(product) {
  const d = deployment(product);
  const apiKey = apiKeyOf(product);
  check(
    apiKey !== undefined,
    `make-secrets.sh made every ${product} secret and printed its API key`,
  );
  const ca = readFileSync(join(secrets, product, 'tls/ca.pem'), 'utf8');
  const context = { apiKey, ca, check, dir: d.dir };
  const base = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let made;
  try {
    made = await postgresRun(d, base, context);
  } catch (err) {
    if (err?.code !== 'ECONNREFUSED') throw err;
    const names = ['migrate', 'pg-1', 'pg-2'].map((n) => `${product}-${n}`).join(', ');
    console.log(`skip  ${names}: no PostgreSQL at ${new URL(base).host}`);
  }
  const sqlite = await startServer(d, 'sqlite', `sqlite:${join(work, `${product}.db`)}`);
  try {
    await healthy(sqlite);
    await scenarios[product].isolated({ ...context, server: sqlite }, made);
  } finally {
    await stop(sqlite);
  }
}

try {
  for (const product of products) {
    // A product whose run throws (a refused connection, a bad answer) fails; the next still runs.
    await exercise(product).catch((err) => check(false, `${product}: ${err?.stack ?? err}`));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(failures === 0 ? 'exercise: every check passed' : `exercise: ${failures} failed`);
process.exitCode = failures === 0 ? 0 : 1;
