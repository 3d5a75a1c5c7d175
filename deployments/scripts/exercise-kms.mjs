#!/usr/bin/env node
// Runs what deployments/kms/compose.yml starts, on loopback and without Docker (ARCHITECTURE
// §8): the compose commands with the compose config files and freshly made secrets (paths
// rewritten as in check-config.mjs), changing through `-s` and env only what one host forces:
// listeners on 127.0.0.1 and free ports, the SQLite file, a fresh PostgreSQL database on
// TEST_POSTGRES_URL (dropped after) and a collector address on loopback. Then it checks:
// kms-migrate applies the migrations; kms-pg-1 and kms-pg-2, started together, both pass the
// image healthcheck's command (`kms health livez`) and readyz (barrier unsealed from the same
// secret files); a key created on kms-pg-1 with the generated API key is read on kms-pg-2 (one
// database) and absent from kms-sqlite (its own); SIGTERM drains each within the compose
// stop_grace_period. Needs `pnpm run build`; PostgreSQL parts are skipped when unreachable.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { configFiles, hostCopy, readCompose } from './compose-model.mjs';
import { CLI, freePort, https, runCli, startCli, tail, waitFor } from './loopback.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pg = createRequire(join(root, 'packages/db/package.json'))('pg');
const work = mkdtempSync(join(tmpdir(), 'cryptoutil-exercise-'));
const secrets = join(work, 'secrets');
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  if (!ok) failures += 1;
};

// Secrets exactly as an operator makes them; the API key is printed once on stdout.
const made = execFileSync(join(root, 'deployments/scripts/make-secrets.sh'), ['--dir', secrets], {
  env: { ...process.env, CRYPTOUTIL_CLI: `${process.execPath} ${CLI}` },
  stdio: ['ignore', 'pipe', 'ignore'],
}).toString();
const apiKey = /API key[^:]*: (\S+)/.exec(made)?.[1];
const ca = readFileSync(join(secrets, 'tls/ca.pem'), 'utf8');
const compose = readCompose(join(root, 'deployments/kms/compose.yml'), {
  ...process.env,
  KMS_SECRETS_DIR: secrets,
});
const service = (name) => compose.services.find((s) => s.name === name);
const collector = `https://127.0.0.1:${await freePort()}`; // nothing listens: exports fail

// The compose command of `name` with its config files as host copies, plus host overrides.
function commandOf(name, extra = []) {
  const s = service(name);
  const files = new Map(configFiles(s.command).map((f, n) => [f, hostCopy(s, f, work, n)]));
  return [...s.command.map((arg) => files.get(arg) ?? arg), ...extra];
}

async function startServer(name, databaseUrl) {
  const port = await freePort();
  const admin = await freePort();
  const args = commandOf(name, [
    ...['-s', 'public.address=127.0.0.1', '-s', `public.port=${port}`],
    ...['-s', `admin.port=${admin}`, '-s', `telemetry.otlp.endpoint=${collector}`],
  ]);
  const env = { CRYPTOUTIL_DATABASE__URL: databaseUrl };
  const proc = startCli(args, join(work, `${name}.log`), env);
  // The image healthcheck: `kms health livez -c <CRYPTOUTIL_CONFIG>`, here with the moved port.
  const probe = (what) => {
    const files = service(name).environment.CRYPTOUTIL_CONFIG.split(/\s+/);
    const c = files.flatMap((f, n) => ['-c', hostCopy(service(name), f, work, 10 + n)]);
    return runCli(['kms', 'health', what, ...c, '-s', `admin.port=${admin}`], env);
  };
  return { name, proc, probe, url: `https://127.0.0.1:${port}/service/api/v1` };
}

async function healthy(server) {
  try {
    await waitFor(
      `${server.name} livez`,
      60_000,
      async () => (await server.probe('livez')).code === 0,
    );
    check(true, `${server.name}: healthcheck (kms health livez) passes`);
    const ready = await server.probe('readyz');
    check(ready.code === 0, `${server.name}: readyz (database reachable, barrier unsealed)`);
  } catch (err) {
    check(false, `${server.name}: ${err.message}\n${tail(server.proc.log)}`);
  }
}

async function stop(server) {
  const r = await server.proc.stop(20_000);
  const how = r === 'timeout' ? 'no exit in 20 s' : `code ${r.code}, signal ${r.signal}`;
  const ok = r !== 'timeout' && r.code === 0;
  check(
    ok,
    `${server.name}: SIGTERM drains and exits 0 (${how})${ok ? '' : `\n${tail(server.proc.log)}`}`,
  );
}

async function postgresRun(base) {
  const name = `kms_exercise_${Date.now().toString(36)}`;
  const adminDb = new pg.Client({ connectionString: base });
  await adminDb.connect();
  await adminDb.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const servers = [];
  try {
    const migrate = await runCli(commandOf('kms-migrate'), { CRYPTOUTIL_DATABASE__URL: `${url}` });
    const said = migrate.stdout.split('\n').find((l) => l.includes('migrations')) ?? migrate.stderr;
    check(migrate.code === 0, `kms-migrate: ${said.trim()}`);
    servers.push(
      ...(await Promise.all(['kms-pg-1', 'kms-pg-2'].map((n) => startServer(n, `${url}`)))),
    );
    await Promise.all(servers.map(healthy));
    const [one, two] = servers;
    const body = { name: `exercise-${Date.now()}`, algorithm: 'A256GCM/dir' };
    const created = await https({
      url: `${one.url}/elastic-keys`,
      method: 'POST',
      ca,
      token: apiKey,
      body,
    });
    check(
      created.status === 201,
      `kms-pg-1: POST /elastic-keys with the API key -> ${created.status}`,
    );
    const read = await https({
      url: `${two.url}/elastic-keys/${created.json?.id}`,
      ca,
      token: apiKey,
    });
    check(
      read.status === 200 && read.json?.name === body.name,
      `kms-pg-2 reads that key -> ${read.status}`,
    );
    const anonymous = await https({ url: `${two.url}/elastic-keys`, ca });
    check(anonymous.status === 401, `kms-pg-2 without credentials -> ${anonymous.status}`);
    return body.name;
  } finally {
    await Promise.all(servers.map(stop));
    await adminDb.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminDb.end();
  }
}

try {
  check(apiKey !== undefined, 'make-secrets.sh made every secret and printed an API key');
  const base = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let pgKeyName;
  try {
    pgKeyName = await postgresRun(base);
  } catch (err) {
    if (err?.code !== 'ECONNREFUSED') throw err;
    console.log(`skip  kms-migrate, kms-pg-1, kms-pg-2: no PostgreSQL at ${new URL(base).host}`);
  }
  const sqlite = await startServer('kms-sqlite', `sqlite:${join(work, 'kms.db')}`);
  try {
    await healthy(sqlite);
    const list = await https({ url: `${sqlite.url}/elastic-keys`, ca, token: apiKey });
    const names = (list.json?.items ?? []).map((k) => k.name);
    check(
      list.status === 200 && !names.includes(pgKeyName),
      `kms-sqlite: its own database -> ${list.status}`,
    );
  } finally {
    await stop(sqlite);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(failures === 0 ? 'exercise: every check passed' : `exercise: ${failures} failed`);
process.exitCode = failures === 0 ? 0 : 1;
