// What every ceiling starts from: a bare Fastify 5 HTTPS server (the kit's version) with the
// suite's TLS 1.3 options and the benchmark's certificate, no logger; and its start on a free
// loopback port with the ready line (ready.mjs), stopping on SIGTERM.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFastify, loadTls } from '../deps.mjs';
import { announce, stopOnSigterm } from './ready.mjs';

/** The server, not yet listening; `dir` holds the certificate set (certificates.mjs). */
export async function bareFastify(dir) {
  const { serverTlsOptions } = await loadTls();
  const fastify = await loadFastify();
  return fastify({
    logger: false,
    https: serverTlsOptions({
      cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
      key: readFileSync(join(dir, 'server-key.pem'), 'utf8'),
      clientAuth: 'none',
    }),
  });
}

/** Listens, then prints the ready line: the port and `info`. */
export async function listenAndAnnounce(app, info = {}) {
  await app.listen({ host: '127.0.0.1', port: 0 });
  announce({ port: app.server.address().port, ...info });
  stopOnSigterm(() => app.close());
}
