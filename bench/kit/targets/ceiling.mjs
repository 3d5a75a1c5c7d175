// The ceiling: a bare Fastify 5 HTTPS server with the suite's TLS 1.3 options and the same
// certificate as the kit, answering GET /hello with a small JSON. Nothing else runs per
// request, so the kit's targets are measured against what Node and Fastify cost alone.
// Usage: node ceiling.mjs <tls-dir>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFastify, loadTls } from '../deps.mjs';
import { announce, stopOnSigterm } from './ready.mjs';

const dir = process.argv[2];
const { serverTlsOptions } = await loadTls();
const fastify = await loadFastify();

const app = fastify({
  logger: false,
  https: serverTlsOptions({
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    key: readFileSync(join(dir, 'server-key.pem'), 'utf8'),
    clientAuth: 'none',
  }),
});
app.get('/hello', () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: 0 });
announce({ port: app.server.address().port });
stopOnSigterm(() => app.close());
