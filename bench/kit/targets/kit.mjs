// The kit: a one-route product run by `startService` exactly as `cryptoutil <product> server`
// runs it (full /service chain: request id, authenticator, rate limit, scope check, no-store,
// problem handler, telemetry plugin with OTLP off), on the shared certificate (static mode).
// Usage: node kit.mjs <tls-dir> <public|scoped> <log level>; logs go to /dev/null.
// In `scoped` mode the route needs `bench:read` and the target makes a throwaway API key,
// handed to the runner on the ready line for wrk's Authorization header.
import { join } from 'node:path';
import { loadPino, loadServer } from '../deps.mjs';
import { announce, stopOnSigterm } from './ready.mjs';

const [dir, mode, logLevel] = process.argv.slice(2);
const server = await loadServer();
const pino = await loadPino();

const SCOPE = 'bench:read';
const pepper = server.generateApiKey().key; // 50+ random characters, used only in this process
const apiKey = server.generateApiKey({ id: 'bench' });

const schema = server.createServiceConfigSchema({ publicPort: 0, adminPort: 0 });
const config = schema.parse({
  tls: {
    mode: 'static',
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server-key.pem'),
    caFile: join(dir, 'ca.pem'),
  },
  // High enough that no request of a run is limited; the limiter still counts every one.
  public: { rateLimit: { max: 1_000_000_000, timeWindowMs: 60_000 } },
  telemetry: { logLevel },
  auth: {
    pepper,
    apiKeys: [{ id: apiKey.id, hash: server.hashApiKey(apiKey.key, pepper), scopes: [SCOPE] }],
  },
});

const routeConfig = mode === 'scoped' ? { scopes: [SCOPE] } : { public: true };
const product = server.defineProduct({
  name: 'bench',
  title: 'Kit benchmark',
  configSchema: schema,
  migrations: [],
  createService: () =>
    Promise.resolve({
      routes: (app, _options, done) => {
        app.get('/hello', { config: routeConfig }, () => ({ hello: 'world' }));
        done();
      },
    }),
});

const service = await server.startService(product, config, {
  version: '0.0.0-bench',
  logDestination: pino.destination({ dest: '/dev/null', sync: true }),
  exit: () => undefined,
});
announce({
  port: service.addresses.public.port,
  ...(mode === 'scoped' ? { authorization: `Bearer ${apiKey.key}` } : {}),
});
stopOnSigterm(() => service.shutdown('benchmark done'));
