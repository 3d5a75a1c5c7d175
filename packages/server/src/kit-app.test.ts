import { connect, type TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../test/support/capture-logger.js';
import { testTls } from '../test/support/certificates.js';
import { deferred } from '../test/support/deferred.js';
import { createKitApp } from './kit-app.js';

describe('createKitApp', () => {
  it('logs one line per request, with its route, status and time, never its headers', async () => {
    const tls = await testTls();
    const captured = captureLogger();
    const app = createKitApp({ name: 'public', https: tls.serverOptions, logger: captured.logger });
    app.get('/items/:id', () => ({ ok: true }));
    const res = await app.inject({
      url: '/items/7',
      headers: { authorization: 'Bearer very-secret-token' },
    });
    expect(res.statusCode).toBe(200);
    const requestLines = captured.lines.filter((l) => 'req' in l || 'res' in l);
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      reqId: res.headers['x-request-id'],
      res: { statusCode: 200 },
    });
    expect(typeof requestLines[0]?.['responseTime']).toBe('number');
    expect(captured.text()).not.toContain('very-secret-token');
    await app.close();
  });

  it('refuses TLS options below 1.3', () => {
    expect(() => createKitApp({ name: 'admin', https: { minVersion: 'TLSv1.2' } })).toThrow(
      TypeError,
    );
  });

  it('answers 503 shutting-down to a request on an open connection while it closes', async () => {
    const tls = await testTls();
    const app = createKitApp({ name: 'public', https: tls.serverOptions });
    const started = deferred();
    const release = deferred();
    app.get('/slow', async () => {
      started.resolve();
      await release.promise;
      return { done: true };
    });
    app.get('/fast', () => ({ fast: true }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const open = (): Promise<{ socket: TLSSocket; text: Promise<string> }> =>
      new Promise((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: tls.ca });
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
        const text = new Promise<string>((done) => socket.on('close', () => done(received)));
        socket.once('secureConnect', () => resolve({ socket, text }));
      });
    const busy = await open();
    busy.socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await started.promise;
    const waiting = await open();
    const closed = app.close();
    // close() runs its preClose hooks on a later tick; then the waiting client sends.
    await new Promise((resolve) => setImmediate(resolve));
    waiting.socket.write('GET /fast HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const late = await waiting.text;
    expect(late).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(late).toContain('\r\nconnection: close\r\n');
    expect(late).toContain('application/problem+json');
    expect(
      late.endsWith(
        '{"type":"urn:cryptoutil:problem:shutting-down","title":"Service shutting down","status":503}',
      ),
    ).toBe(true);
    release.resolve();
    const slow = await busy.text;
    expect(slow).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(slow).toContain('\r\nconnection: close\r\n');
    expect(slow.endsWith('{"done":true}')).toBe(true);
    await closed;
  });

  it('accepts JSON only, unless a product adds a parser', async () => {
    const app = createKitApp({ name: 'public', https: {} });
    app.post('/echo', (request) => ({ body: request.body }));
    const res = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'text/plain' },
      payload: 'hi',
    });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    await app.close();
  });
});
