// The plain-HTTP listener: read-only by construction (no writing route can be registered, a
// writing method is 405), problem+json errors, request ids, and its place in the runtime:
// listening beside the HTTPS listeners, drained with the public one at shutdown.
import type { FastifyInstance } from 'fastify';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogger } from '../test/support/capture-logger.js';
import { buildAdminApp } from './admin-app.js';
import { createKitApp } from './kit-app.js';
import { buildPlainApp } from './plain-app.js';
import { createServerRuntime, type ServerRuntime } from './runtime.js';

const crl = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);

function routes(app: FastifyInstance, _opts: unknown, done: () => void) {
  app.get('/crl/:id', (_request, reply) => reply.type('application/pkix-crl').send(crl));
  app.post('/ocsp', (_request, reply) => reply.type('application/ocsp-response').send(crl));
  done();
}

describe('buildPlainApp', () => {
  it('serves GET and POST reads as plain HTTP with a request id', async () => {
    const app = buildPlainApp({ routes });
    const got = await app.inject({ method: 'GET', url: '/crl/a' });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/pkix-crl');
    expect(new Uint8Array(got.rawPayload)).toEqual(crl);
    expect(got.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const head = await app.inject({ method: 'HEAD', url: '/crl/a' });
    expect(head.statusCode).toBe(200);
    await app.close();
  });

  it('answers a writing method with a 405 problem and an unknown path with 404', async () => {
    const app = buildPlainApp({ routes });
    for (const method of ['PUT', 'DELETE', 'PATCH'] as const) {
      const res = await app.inject({ method, url: '/crl/a' });
      expect(res.statusCode).toBe(405);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res.json()).toMatchObject({ status: 405, title: 'Method not allowed' });
    }
    const missing = await app.inject({ method: 'GET', url: '/nothing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ status: 404 });
    await app.close();
  });

  it('refuses to register a writing route', async () => {
    const app = buildPlainApp({
      // eslint-disable-next-line @typescript-eslint/require-await -- an async plugin reports the throw
      routes: async (instance: FastifyInstance) => {
        instance.delete('/crl/:id', () => 'gone');
      },
    });
    await expect(app.ready()).rejects.toThrow(
      'the plain-HTTP listener is read-only: DELETE /crl/:id',
    );
  });

  it('limits the body to 64 KiB unless told otherwise', async () => {
    const app = buildPlainApp({
      routes: (instance, _opts, done) => {
        instance.addContentTypeParser(
          'application/ocsp-request',
          { parseAs: 'buffer' },
          (_r, b, d) => d(null, b),
        );
        instance.post('/ocsp', (req) => ({ size: (req.body as Buffer).length }));
        done();
      },
    });
    const send = (size: number) =>
      app.inject({
        method: 'POST',
        url: '/ocsp',
        headers: { 'content-type': 'application/ocsp-request' },
        payload: Buffer.alloc(size),
      });
    expect((await send(65_536)).json()).toEqual({ size: 65_536 });
    expect((await send(65_537)).statusCode).toBe(413);
    await app.close();
  });
});

let runtime: ServerRuntime | undefined;
afterEach(() => runtime?.shutdown('test end'));

function get(port: number, path: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the runtime with a plain-HTTP listener', () => {
  it('listens on it beside the HTTPS listeners and closes it at shutdown', async () => {
    const log = captureLogger();
    const plainApp = buildPlainApp({ routes });
    runtime = createServerRuntime({
      publicApp: createKitApp({ name: 'public', https: {} }),
      adminApp: buildAdminApp({ https: {} }),
      publicListen: { host: '127.0.0.1', port: 0 },
      adminListen: { host: '127.0.0.1', port: 0 },
      plain: { app: plainApp, listen: { host: '127.0.0.1', port: 0 } },
      drainTimeoutMs: 1_000,
      logger: log.logger,
      exit: () => undefined,
    });
    const bound = await runtime.start();
    expect(bound.plain?.host).toBe('127.0.0.1');
    const port = bound.plain?.port ?? 0;
    expect(port).toBeGreaterThan(0);
    expect([bound.public.port, bound.admin.port]).not.toContain(port);
    const res = await get(port, '/crl/x');
    expect(res.status).toBe(200);
    expect(new Uint8Array(res.body)).toEqual(crl);
    await runtime.shutdown('test');
    await expect(get(port, '/crl/x')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('closes the public listener when the plain listener cannot listen', async () => {
    const log = captureLogger();
    const blocker = buildPlainApp({ routes });
    await blocker.listen({ host: '127.0.0.1', port: 0 });
    const taken = (blocker.server.address() as { port: number }).port;
    const publicApp = createKitApp({ name: 'public', https: {} });
    const failing = createServerRuntime({
      publicApp,
      adminApp: buildAdminApp({ https: {} }),
      publicListen: { host: '127.0.0.1', port: 0 },
      adminListen: { host: '127.0.0.1', port: 0 },
      plain: { app: buildPlainApp({ routes }), listen: { host: '127.0.0.1', port: taken } },
      drainTimeoutMs: 1_000,
      logger: log.logger,
      exit: () => undefined,
    });
    await expect(failing.start()).rejects.toThrow(/EADDRINUSE/);
    expect(publicApp.server.listening).toBe(false);
    await blocker.close();
  });
});
