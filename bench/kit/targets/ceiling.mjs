// The ceiling: a bare Fastify 5 HTTPS server with the suite's TLS 1.3 options and the same
// certificate as the kit, answering GET /hello with a small JSON. Nothing else runs per
// request, so the kit's targets are measured against what Node and Fastify cost alone.
// Usage: node ceiling.mjs <tls-dir>
import { bareFastify, listenAndAnnounce } from './bare-fastify.mjs';

const app = await bareFastify(process.argv[2]);
app.get('/hello', () => ({ hello: 'world' }));
await listenAndAnnounce(app);
