import fp from 'fastify-plugin';
import { describe, expect, it } from 'vitest';
import type { Authenticator, Principal } from './principal.js';
import { invalidCredentials } from './auth/bearer-challenge.js';
import { buildPublicApp, type PublicAppOptions } from './public-app.js';
import type { ApiRoutes } from './chains/routes.js';
import { publicListenerSchema } from './config.js';

const principal = (subject: string): Principal => ({
  subject,
  tenant: 't',
  scopes: [],
  method: 'api-key',
});

const bySubjectHeader: Authenticator = {
  authenticate: (request) => {
    const subject = request.headers['x-test-subject'];
    return Promise.resolve(typeof subject === 'string' ? principal(subject) : undefined);
  },
};

const routes: ApiRoutes = (app, _options, done) => {
  app.get('/whoami', (request) => ({ subject: request.principal?.subject }));
  app.get('/open', { config: { public: true } }, () => ({ open: true }));
  done();
};

function build(
  max = 100,
  plugins: PublicAppOptions['plugins'] = [],
  authenticator: Authenticator = bySubjectHeader,
) {
  return buildPublicApp({
    plugins,
    https: {},
    listener: publicListenerSchema.parse({ port: 0, rateLimit: { max, timeWindowMs: 60_000 } }),
    authenticator,
    routes,
  });
}

/**
 * Answers at once, as the API-key authenticator does: a principal without a promise, a
 * refusal thrown (`x-test-throw`) or rejected (`x-test-reject`).
 */
const atOnce: Authenticator = {
  authenticate: (request) => {
    if (request.headers['x-test-throw'] !== undefined) throw invalidCredentials('thrown');
    if (request.headers['x-test-reject'] !== undefined) {
      return Promise.reject(invalidCredentials('rejected'));
    }
    const subject = request.headers['x-test-subject'];
    return typeof subject === 'string' ? principal(subject) : undefined;
  },
};

describe('buildPublicApp', () => {
  it('requires a principal on routes without config, and serves it to any authenticated caller', async () => {
    const app = build();
    const anonymous = await app.inject({ url: '/service/api/v1/whoami' });
    expect(anonymous.statusCode).toBe(401);
    const known = await app.inject({
      url: '/service/api/v1/whoami',
      headers: { 'x-test-subject': 'svc' },
    });
    expect(known.json()).toEqual({ subject: 'svc' });
    await app.close();
  });

  it('treats every browser caller as anonymous without a session resolver', async () => {
    const app = build();
    const res = await app.inject({
      url: '/browser/api/v1/whoami',
      headers: { 'x-test-subject': 'svc' },
    });
    expect(res.statusCode).toBe(401);
    expect((await app.inject({ url: '/browser/api/v1/open' })).json()).toEqual({ open: true });
    await app.close();
  });

  it('answers 404 under /.well-known when the product serves nothing there', async () => {
    const app = build();
    expect((await app.inject({ url: '/.well-known/jwks.json' })).statusCode).toBe(404);
    await app.close();
  });

  it('limits each principal separately and answers 429 with Retry-After', async () => {
    const app = build(2);
    const call = (subject: string) =>
      app.inject({ url: '/service/api/v1/whoami', headers: { 'x-test-subject': subject } });
    expect((await call('a')).statusCode).toBe(200);
    expect((await call('a')).statusCode).toBe(200);
    const limited = await call('a');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect(limited.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(limited.json()).toEqual({
      type: 'urn:cryptoutil:problem:rate-limited',
      title: 'Too many requests',
      status: 429,
      detail: 'rate limit exceeded, retry in 1 minute',
    });
    expect((await call('b')).statusCode).toBe(200);
    await app.close();
  });

  it('admits a principal given without a promise, and refuses a thrown or rejected credential with 401', async () => {
    const app = build(100, [], atOnce);
    const call = (headers: Record<string, string>) =>
      app.inject({ url: '/service/api/v1/whoami', headers });
    const known = await call({ 'x-test-subject': 'svc' });
    expect(known.statusCode).toBe(200);
    expect(known.json()).toEqual({ subject: 'svc' });
    expect(known.headers['cache-control']).toBe('no-store');
    for (const [header, detail] of [
      ['x-test-throw', 'thrown'],
      ['x-test-reject', 'rejected'],
    ] as const) {
      const refused = await call({ [header]: '1' });
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ status: 401, detail });
    }
    expect((await call({})).statusCode).toBe(401);
    await app.close();
  });

  it('counts a refused credential against the budget before refusing it', async () => {
    const app = build(2, [], atOnce);
    const guess = () =>
      app.inject({ url: '/service/api/v1/whoami', headers: { 'x-test-throw': '1' } });
    expect((await guess()).statusCode).toBe(401);
    expect((await guess()).statusCode).toBe(401);
    // The third guess from the same address is limited, not checked.
    expect((await guess()).statusCode).toBe(429);
    await app.close();
  });

  it('limits anonymous callers by IP', async () => {
    const app = build(1);
    expect((await app.inject({ url: '/service/api/v1/open' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/service/api/v1/open' })).statusCode).toBe(429);
    expect((await app.inject({ url: '/browser/api/v1/open' })).statusCode).toBe(200);
    await app.close();
  });

  it('registers root plugins before the chains, so they see every request', async () => {
    const seen: string[] = [];
    const observer = fp<{ tag: string }>((app, options, done) => {
      app.addHook('onRequest', (request, _reply, next) => {
        seen.push(`${options.tag} ${request.url}`);
        next();
      });
      done();
    });
    const app = build(100, [[observer, { tag: 'obs' }]]);
    await app.inject({ url: '/service/api/v1/open' });
    await app.inject({ url: '/browser/api/v1/open' });
    await app.inject({ url: '/nowhere' });
    expect(seen).toEqual(['obs /service/api/v1/open', 'obs /browser/api/v1/open', 'obs /nowhere']);
    await app.close();
  });
});
