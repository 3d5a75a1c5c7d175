// The /service/api/v1 chain over a real TLS 1.3 listener: authentication through the pluggable
// Authenticator, scope checks, no-store, and no CORS whatever the Origin.
import { describe, expect, it } from 'vitest';
import { useRunningFixture } from './fixture-app.js';
import { send } from './support/https-client.js';

const running = useRunningFixture();

const get = (path: string, headers: Record<string, string> = {}) =>
  send({
    port: running.bound.public.port,
    path: `/service/api/v1${path}`,
    ca: running.tls.ca,
    headers,
  });

describe('service chain', () => {
  it('answers a valid bearer token with the principal and no-store', async () => {
    const res = await get('/echo', { authorization: 'Bearer good-token' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      principal: {
        subject: 'alice',
        tenant: 't1',
        scopes: ['echo:read', 'items:write'],
        method: 'jwt',
      },
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses a request without credentials with 401 unauthenticated and a Bearer challenge', async () => {
    const res = await get('/echo');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json()).toEqual({
      type: 'urn:cryptoutil:problem:unauthenticated',
      title: 'Authentication required',
      status: 401,
      detail: 'this operation requires credentials',
    });
  });

  it('refuses bad credentials with the authenticator problem, even on a public route', async () => {
    for (const path of ['/echo', '/info']) {
      const res = await get(path, { authorization: 'Bearer forged' });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      expect(res.json()).toMatchObject({
        type: 'urn:cryptoutil:problem:invalid-token',
        detail: 'token not accepted',
      });
    }
  });

  it('refuses a missing scope with 403 insufficient-scope naming it', async () => {
    const res = await send({
      port: running.bound.public.port,
      path: '/service/api/v1/items',
      method: 'POST',
      ca: running.tls.ca,
      headers: { authorization: 'Bearer reader-token', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', count: 1 }),
    });
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", scope="items:write"',
    );
    expect(res.json()).toEqual({
      type: 'urn:cryptoutil:problem:insufficient-scope',
      title: 'Insufficient scope',
      status: 403,
      detail: 'missing scope(s): items:write',
      missingScopes: ['items:write'],
    });
  });

  it('serves public routes without credentials', async () => {
    const res = await get('/info');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ service: 'fixture' });
  });

  it('never sends CORS headers, even to an Origin', async () => {
    const res = await get('/echo', {
      authorization: 'Bearer good-token',
      origin: 'https://app.example.test',
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual(
      [],
    );
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('echoes a safe x-request-id and replaces an unsafe one', async () => {
    const safe = await get('/info', { 'x-request-id': 'trace-123.abc' });
    expect(safe.headers['x-request-id']).toBe('trace-123.abc');
    const unsafe = await get('/info', { 'x-request-id': 'bad id\twith spaces' });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
