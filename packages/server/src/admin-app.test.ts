import { describe, expect, it } from 'vitest';
import { buildAdminApp, DEFAULT_CHECK_TIMEOUT_MS } from './admin-app.js';
import type { RoutePlugin } from './chains/routes.js';

describe('buildAdminApp', () => {
  it('is ready without checks and gives each check 2 s by default', async () => {
    expect(DEFAULT_CHECK_TIMEOUT_MS).toBe(2_000);
    const app = buildAdminApp({ https: {} });
    const res = await app.inject({ url: '/admin/v1/readyz' });
    expect([res.statusCode, res.json()]).toEqual([200, { status: 'ok', checks: {} }]);
    await app.close();
  });

  it('registers product admin routes under /admin/v1', async () => {
    const barrier: RoutePlugin = (app, _options, done) => {
      app.get('/barrier/status', () => ({ sealed: false }));
      done();
    };
    const app = buildAdminApp({ https: {}, routes: barrier });
    expect((await app.inject({ url: '/admin/v1/barrier/status' })).json()).toEqual({
      sealed: false,
    });
    await app.close();
  });

  it('accepts a shutdown request without a runtime attached and does nothing else', async () => {
    const app = buildAdminApp({ https: {} });
    const res = await app.inject({ method: 'POST', url: '/admin/v1/shutdown' });
    expect([res.statusCode, res.json()]).toEqual([202, { status: 'shutting-down' }]);
    expect((await app.inject({ url: '/admin/v1/livez' })).statusCode).toBe(200);
    await app.close();
  });
});
