// What a benchmarked product service needs besides its database, all in one temporary directory
// (0700) that the runner removes: the shared certificate set, a barrier secret of 32 random
// bytes (`secrets` mode, since dev unseal is refused on a persistent database), a throwaway
// pepper and API key with the product's scopes, and one config file per start. The files hold
// secrets; nothing here logs them.
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { certificates } from './certificates.mjs';
import { loadServer } from './deps.mjs';

/** A port free on 127.0.0.1 right now (the admin port must be known to poll readyz). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `product` names the temporary directory; the API key gets exactly `scopes`. */
export async function prepareCredentials({ product, scopes }) {
  const tls = await certificates(`cu-bench-${product}-`);
  chmodSync(tls.dir, 0o700);
  const server = await loadServer();
  const pepper = server.generateApiKey().key; // 50+ random characters, used only in this run
  const apiKey = server.generateApiKey({ id: 'bench' });
  const secretFile = join(tls.dir, 'unseal-1.bin');
  writeFileSync(secretFile, randomBytes(32), { mode: 0o600 });
  return {
    dir: tls.dir,
    caPem: tls.caPem,
    authorization: `Bearer ${apiKey.key}`,
    auth: {
      pepper,
      apiKeys: [{ id: apiKey.id, hash: server.hashApiKey(apiKey.key, pepper), scopes }],
    },
    secretFile,
  };
}

/**
 * Writes the config of one service start (JSON is YAML 1.2) and returns its path. The rate
 * limit is raised so that no benchmark request is limited (the limiter still counts each one);
 * the product's own section keeps its defaults unless `sections` gives it (e.g. `{ ca: {…} }`:
 * top-level sections added to the shared ones).
 */
export function writeServiceConfig(
  credentials,
  { name, databaseUrl, publicPort, adminPort, logLevel, sections = {} },
) {
  const { dir } = credentials;
  const config = {
    public: { port: publicPort, rateLimit: { max: 1_000_000_000, timeWindowMs: 60_000 } },
    admin: { port: adminPort },
    tls: {
      mode: 'static',
      certFile: join(dir, 'server.pem'),
      keyFile: join(dir, 'server-key.pem'),
      caFile: join(dir, 'ca.pem'),
    },
    database: { url: databaseUrl },
    barrier: { mode: 'secrets', files: [credentials.secretFile], threshold: 1 },
    telemetry: { logLevel },
    auth: credentials.auth,
    shutdown: { drainTimeoutMs: 2_000 },
    ...sections,
  };
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  return file;
}
