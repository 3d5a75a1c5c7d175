// Regression tests for review findings: product OPTIONS routes keep their scopes on the
// browser chain, routing errors are problem+json without echoing the URL, malformed HTTP gets a
// problem too, and the admin API refuses browsers.
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { testTls } from '../test/support/certificates.js';
import { buildAdminApp } from './admin-app.js';
import type { ApiRoutes } from './chains/routes.js';
import { publicListenerSchema } from './config.js';
import { createKitApp } from './kit-app.js';
import { buildPublicApp } from './public-app.js';

const routes: ApiRoutes = (app, _o, done) => {
  app.options('/files/*', { config: { scopes: ['files:admin'] } }, () => ({ opt: true }));
  app.get('/x/:id', { config: { public: true } }, () => ({ ok: true }));
  done();
};

function publicApp() {
  return buildPublicApp({
    https: {},
    listener: publicListenerSchema.parse({ port: 0 }),
    authenticator: { authenticate: () => Promise.resolve(undefined) },
    routes,
  });
}

describe('review fixes', () => {
  it('keeps the scopes of a product OPTIONS route on both chains', async () => {
    const app = publicApp();
    for (const prefix of ['/service/api/v1', '/browser/api/v1']) {
      const res = await app.inject({ method: 'OPTIONS', url: `${prefix}/files/a` });
      expect(res.statusCode).toBe(401);
    }
    await app.close();
  });

  it('answers an undecodable URL with a problem that does not echo it', async () => {
    const app = publicApp();
    const res = await app.inject({ url: '/service/api/v1/x/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({
      type: 'urn:cryptoutil:problem:bad-request',
      title: 'Bad request',
      status: 400,
      detail: 'the request URL or headers could not be parsed',
    });
    expect(res.body).not.toContain('%E0');
    await app.close();
  });

  it('marks every problem no-store, unknown routes under the API prefixes included', async () => {
    const app = publicApp();
    for (const url of ['/service/api/v1/nope', '/browser/api/v1/nope', '/nope']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(404);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    await app.close();
  });

  it('answers bytes that are not HTTP with a problem and closes', async () => {
    const tls = await testTls();
    const app = createKitApp({ name: 'public', https: tls.serverOptions });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: tls.ca });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.once('secureConnect', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(reply).toContain('Content-Type: application/problem+json');
    expect(reply).toContain('"type":"urn:cryptoutil:problem:bad-request"');
    await app.close();
  });

  it('refuses browser requests on the admin API, serves operator tools', async () => {
    const app = buildAdminApp({ https: {} });
    const fromPage = await app.inject({
      method: 'POST',
      url: '/admin/v1/shutdown',
      headers: { origin: 'https://evil.example' },
    });
    expect(fromPage.statusCode).toBe(403);
    expect(fromPage.json()).toMatchObject({ type: 'urn:cryptoutil:problem:admin-browser' });
    const crossSite = await app.inject({
      url: '/admin/v1/livez',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    const typedUrl = await app.inject({
      url: '/admin/v1/livez',
      headers: { 'sec-fetch-site': 'none' },
    });
    expect(typedUrl.statusCode).toBe(200);
    expect((await app.inject({ url: '/admin/v1/livez' })).statusCode).toBe(200);
    await app.close();
  });
});
