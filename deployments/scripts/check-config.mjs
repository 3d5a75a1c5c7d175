#!/usr/bin/env node
// Checks the cryptoutil configuration of compose files without Docker (ARCHITECTURE §8): for every
// cryptoutil service, its `-c` files are loaded the way the container loads them, with each mounted
// container path (config bind mounts, /run/secrets/<name>) replaced by the host file behind it,
// through the suite's own loaders: the config schema (unknown keys, types, secret `file://`
// references), the barrier's unseal source, the TLS material (static chain against its CA), the
// OTLP CA file, the healthcheck's config (CRYPTOUTIL_CONFIG) and the database URL. A config naming
// a secret the service does not mount fails here as it would in the container. Each published
// container port must be one a listener of the config binds on every interface (public, or the CA's
// plain-HTTP revocation listener), never the admin one, which stays on loopback (ARCHITECTURE §2).
// For the CA also: its profiles load (the shipped ones and ca.profileDirs, through the folders the
// service mounts), and the base URL its certificates name (ca.revocation.baseUrl) is one a relying
// party can reach. Needs the packages built (`pnpm run build`) and the secrets made
// (make-secrets.sh). Until a product is in the CLI build, its files are checked against the shared
// service schema every product extends.
//
//   node deployments/scripts/check-config.mjs deployments/kms/compose.yml [more compose files]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';
import { configFiles, hostCopy, readCompose } from './compose-model.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const load = (path) => import(pathToFileURL(join(root, path)).href);
const { loadConfig } = await load('packages/config/dist/index.js');
const { createServiceConfigSchema } = await load('packages/server/dist/index.js');
const { loadUnsealSource } = await load('packages/barrier/dist/index.js');
const { loadTlsMaterial } = await load('packages/tls/dist/index.js');
const { parseDatabaseUrl } = await load('packages/db/dist/index.js');
const { products } = await load('packages/cli/dist/products.js');
// The CA's own checks, loaded when a CA service is met (the product may be missing from a build).
const caModule = () => load('services/ca/dist/index.js');

const work = mkdtempSync(join(tmpdir(), 'cryptoutil-check-config-'));
let failures = 0;
const seen = new Set();

const noted = new Set();
function schemaFor(product) {
  const built = products.find((p) => p.name === product);
  if (built) return built.configSchema;
  if (!noted.has(product)) console.log(`note  ${product} is not in this CLI build: shared schema`);
  noted.add(product);
  return createServiceConfigSchema({ publicPort: 8080, adminPort: 9090 });
}

function loadFor(service, product, containerFiles) {
  return loadConfig({
    schema: schemaFor(product),
    files: containerFiles.map((f, n) => hostCopy(service, f, work, n)),
    env: service.environment,
    envPrefixes: ['CRYPTOUTIL_', `CRYPTOUTIL_${product.toUpperCase()}__`],
    flags: [],
  });
}

async function checkServer(config) {
  const unseal = await loadUnsealSource(config.barrier);
  await loadTlsMaterial(config.tls);
  const caFile = config.telemetry.otlp.caFile;
  if (caFile !== undefined) readFileSync(caFile);
  return `barrier ${unseal.mode}, tls ${config.tls.mode}`;
}

const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];
const EVERYWHERE = ['0.0.0.0', '::'];

// Every published container port reaches a listener bound on every interface; admin never.
function checkPorts(service, config) {
  if (!LOOPBACK.includes(config.admin.address)) {
    throw new Error(`admin.address ${config.admin.address} is not loopback (ARCHITECTURE §2)`);
  }
  const listeners = new Map([[config.public.port, ['public', config.public.address]]]);
  const revocation = config.ca?.revocation;
  if (revocation?.enabled) {
    listeners.set(revocation.port, ['ca.revocation', revocation.address]);
  }
  for (const port of service.published) {
    if (port === config.admin.port) throw new Error(`publishes the admin port ${port}`);
    const listener = listeners.get(port);
    if (listener === undefined) throw new Error(`publishes ${port}, where no listener listens`);
    const [name, address] = listener;
    if (!EVERYWHERE.includes(address)) {
      throw new Error(
        `publishes ${port}, but ${name}.address ${address} is unreachable from outside`,
      );
    }
  }
  return service.published.length === 0 ? [] : [`publishes ${service.published.join(', ')}`];
}

// The CA: profiles load as at start (exit 2 otherwise); the revocation base URL is reachable.
async function checkCa(service, config) {
  const { revocationBaseUrl, loadProfiles, SHIPPED_PROFILES_DIR } = await caModule();
  const dirs = config.ca.profileDirs.map((dir) => {
    const host = service.mounts.get(dir.replace(/\/+$/, ''));
    if (host === undefined) throw new Error(`ca.profileDirs: ${dir} is not mounted`);
    return host;
  });
  const profiles = loadProfiles([SHIPPED_PROFILES_DIR, ...dirs]);
  const facts = [`${profiles.size} profiles`];
  if (config.ca.revocation.enabled) {
    const base = new URL(revocationBaseUrl(config));
    if (EVERYWHERE.includes(base.hostname.replace(/^\[|\]$/g, ''))) {
      throw new Error(`certificates would name ${base.origin}: set ca.revocation.baseUrl`);
    }
    facts.push(`certificates name ${base.href.replace(/\/$/, '')}`);
  }
  return facts;
}

async function checkService(service, serviceNames) {
  const [product, command] = service.command;
  const config = loadFor(service, product, configFiles(service.command));
  const url = parseDatabaseUrl(config.database.url);
  if (url.dialect === 'postgres') {
    const host = new URL(url.connectionString).hostname;
    if (!serviceNames.includes(host))
      throw new Error(`database host ${host} is no compose service`);
  }
  const facts = [`database ${url.dialect}`];
  if (command === 'server') {
    facts.push(await checkServer(config), ...checkPorts(service, config));
    if (product === 'ca') facts.push(...(await checkCa(service, config)));
    // The image's healthcheck loads CRYPTOUTIL_CONFIG (space-separated) for the admin target.
    const probe = (service.environment.CRYPTOUTIL_CONFIG ?? '').split(/\s+/).filter(Boolean);
    loadFor(service, service.environment.CRYPTOUTIL_PRODUCT, probe);
    facts.push(`healthcheck https://${config.admin.address}:${config.admin.port}`);
  }
  return `${product} ${command}: ${facts.join(', ')}`;
}

try {
  for (const file of process.argv.slice(2)) {
    let compose;
    try {
      compose = readCompose(file, process.env);
    } catch (err) {
      failures += 1;
      console.log(`FAIL  ${file}: ${err instanceof Error ? err.message : err}`);
      continue;
    }
    const { services, names } = compose;
    for (const service of services) {
      // A product file also included by the suite's file is checked once.
      if (seen.has(`${service.file}#${service.name}`)) continue;
      seen.add(`${service.file}#${service.name}`);
      try {
        console.log(
          `ok    ${service.name} (${service.file}): ${await checkService(service, names)}`,
        );
      } catch (err) {
        failures += 1;
        console.log(
          `FAIL  ${service.name} (${service.file}): ${err instanceof Error ? err.message : err}`,
        );
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failures === 0 ? 0 : 1;
