import { describe, expect, it } from 'vitest';
import { testTls } from '../test/support/certificates.js';
import { captureLogger } from '../test/support/capture-logger.js';
import { deferred } from '../test/support/deferred.js';
import { send } from '../test/support/https-client.js';
import { drainApp } from './drain.js';
import { createKitApp } from './kit-app.js';

describe('drainApp', () => {
  it('destroys connections still open when the drain timeout is reached', async () => {
    const tls = await testTls();
    const log = captureLogger();
    const started = deferred();
    const app = createKitApp({ name: 'public', https: tls.serverOptions });
    app.get('/never', async () => {
      started.resolve();
      await new Promise(() => undefined);
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = app.server.address() as { port: number };
    const hanging = send({ port: port.port, path: '/never', ca: tls.ca });
    await started.promise;
    await drainApp({ app, name: 'public', timeoutMs: 50, logger: log.logger });
    await expect(hanging).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(
      log.lines.find((line) => line.msg === 'drain timeout reached, closing remaining connections'),
    ).toMatchObject({
      listener: 'public',
      timeoutMs: 50,
    });
  });
});
