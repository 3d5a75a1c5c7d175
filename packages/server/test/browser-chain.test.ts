// The /browser/api/v1 chain over a real TLS 1.3 listener: CORS allow-list and origin guard,
// preflight, CSRF tokens on unsafe methods, session principal, helmet security headers.
import { describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, useRunningFixture } from './fixture-app.js';
import { send, type TestResponse } from './support/https-client.js';

const running = useRunningFixture();

const browser = (
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) =>
  send({
    port: running.bound.public.port,
    path: `/browser/api/v1${path}`,
    ca: running.tls.ca,
    ...options,
  });

function accessControlHeaders(res: TestResponse): string[] {
  return Object.keys(res.headers).filter((name) => name.startsWith('access-control-'));
}

async function csrfPair(): Promise<{ token: string; cookie: string }> {
  const res = await browser('/csrf-token');
  expect(res.status).toBe(200);
  const setCookie = res.headers['set-cookie']?.[0] ?? '';
  expect(setCookie).toMatch(/^__Host-csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
  return { token: res.json<{ token: string }>().token, cookie: setCookie.split(';')[0]! };
}

const item = JSON.stringify({ name: 'widget', count: 2 });

describe('browser chain: CORS', () => {
  it('sends CORS headers to an allowed origin', async () => {
    const res = await browser('/info', { headers: { origin: ALLOWED_ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toBe('x-request-id, retry-after');
  });

  it('sends no CORS headers to any other origin and refuses its unsafe methods', async () => {
    const read = await browser('/info', { headers: { origin: 'https://evil.example' } });
    expect(read.status).toBe(200);
    expect(accessControlHeaders(read)).toEqual([]);
    const { token, cookie } = await csrfPair();
    const write = await browser('/items', {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        cookie: `session=bob-session; ${cookie}`,
        'x-csrf-token': token,
        'content-type': 'application/json',
      },
      body: item,
    });
    expect(write.status).toBe(403);
    expect(accessControlHeaders(write)).toEqual([]);
    expect(write.json()).toEqual({
      type: 'urn:cryptoutil:problem:cors-origin',
      title: 'Origin not allowed',
      status: 403,
      detail: 'origin not allowed for this method',
    });
  });

  it('answers the preflight of an allowed origin', async () => {
    const res = await browser('/items', {
      method: 'OPTIONS',
      headers: {
        origin: ALLOWED_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-csrf-token',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD, POST, PUT, PATCH, DELETE');
    expect(res.headers['access-control-allow-headers']).toBe(
      'content-type, x-csrf-token, x-request-id',
    );
    expect(res.headers['access-control-max-age']).toBe('600');
  });

  it('does not answer the preflight of another origin', async () => {
    const res = await browser('/items', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(404);
    expect(accessControlHeaders(res)).toEqual([]);
  });
});

describe('browser chain: CSRF and session', () => {
  it('refuses an unsafe method without a CSRF token with 403 csrf', async () => {
    const res = await browser('/items', {
      method: 'POST',
      headers: { cookie: 'session=bob-session', 'content-type': 'application/json' },
      body: item,
    });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({
      type: 'urn:cryptoutil:problem:csrf',
      title: 'CSRF token missing or invalid',
      status: 403,
    });
  });

  it('refuses a token that does not match the cookie secret', async () => {
    const { cookie } = await csrfPair();
    const res = await browser('/items', {
      method: 'POST',
      headers: {
        cookie: `session=bob-session; ${cookie}`,
        'x-csrf-token': 'forged',
        'content-type': 'application/json',
      },
      body: item,
    });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:csrf' });
  });

  it('accepts an unsafe method with the token and the session principal', async () => {
    const { token, cookie } = await csrfPair();
    const res = await browser('/items', {
      method: 'POST',
      headers: {
        origin: ALLOWED_ORIGIN,
        cookie: `session=bob-session; ${cookie}`,
        'x-csrf-token': token,
        'content-type': 'application/json',
      },
      body: item,
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ created: 'widget', count: 2 });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('reads the principal from the session and refuses anonymous callers', async () => {
    const withSession = await browser('/echo', { headers: { cookie: 'session=bob-session' } });
    expect(withSession.json()).toEqual({
      principal: {
        subject: 'bob',
        tenant: 't2',
        scopes: ['echo:read', 'items:write'],
        method: 'jwt',
      },
    });
    const anonymous = await browser('/echo', { headers: { authorization: 'Bearer good-token' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toMatchObject({ type: 'urn:cryptoutil:problem:unauthenticated' });
  });
});

describe('browser chain: security headers', () => {
  it('sends CSP, HSTS, nosniff and anti-framing headers, errors included', async () => {
    for (const path of ['/info', '/echo']) {
      const res = await browser(path);
      const csp = res.headers['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });
});
