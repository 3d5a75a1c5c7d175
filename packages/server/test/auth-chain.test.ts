// Bearer JWTs through the whole stack: a product started by startService with `auth.jwt`
// pointing at a real HTTPS JWKS endpoint, called over TLS 1.3 on /service/api/v1. Valid tokens
// pass; expired, wrong-issuer and wrong-scope tokens get 401/403 problems.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createServiceConfigSchema,
  defineProduct,
  startService,
  type RunningService,
} from '../src/index.js';
import {
  createTestCertificate,
  startJwksServer,
  type JwksServer,
  type TestCertificate,
} from './auth-jwks-server.js';
import { send, type TestResponse } from './support/https-client.js';

const ISSUER = 'https://identity.test';
const schema = createServiceConfigSchema({ publicPort: 0, adminPort: 0 });
const product = defineProduct({
  name: 'guarded',
  title: 'Guarded service',
  configSchema: schema,
  migrations: [],
  createService: () =>
    Promise.resolve({
      routes: (app, _o, done) => {
        app.get('/keys', { config: { scopes: ['kms:read'] } }, (request) => ({
          subject: request.principal?.subject,
          tenant: request.principal?.tenant,
        }));
        app.delete('/keys', { config: { scopes: ['kms:admin'] } }, () => ({ deleted: true }));
        done();
      },
    }),
});

let pki: TestCertificate;
let jwks: JwksServer;
let service: RunningService;
let signingKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

function token(
  claims: { iss?: string; exp?: string | number; scope?: string } = {},
): Promise<string> {
  return new SignJWT({ sub: 'svc-billing', tenant_id: 'acme', scope: claims.scope ?? 'kms:read' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience('kms')
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? '5m')
    .sign(signingKey);
}

function call(method: string, bearer?: string): Promise<TestResponse> {
  return send({
    port: service.addresses.public.port,
    path: '/service/api/v1/keys',
    method,
    ca: service.ca.join('\n'),
    ...(bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {}),
  });
}

beforeAll(async () => {
  pki = await createTestCertificate();
  jwks = await startJwksServer(pki);
  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  jwks.keys.push({ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' });
  const dir = mkdtempSync(join(tmpdir(), 'cu-auth-chain-'));
  const config = schema.parse({
    tls: { dir: join(dir, 'tls') },
    auth: {
      jwt: {
        issuer: ISSUER,
        audience: 'kms',
        jwksUrl: `${jwks.origin}/jwks.json`,
        caFile: pki.caFile,
      },
    },
  });
  const sink = new Writable({ write: (_c, _e, done) => done() });
  service = await startService(product, config, {
    version: '1',
    logDestination: sink,
    exit: () => undefined,
  });
});

afterAll(async () => {
  await service.shutdown('test');
  await jwks.close();
  await pki.remove();
});

describe('bearer JWTs on /service/api/v1', () => {
  it('accepts a valid token and hands the route its principal', async () => {
    const res = await call('GET', await token());
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ subject: 'svc-billing', tenant: 'acme' });
  });

  it('refuses an expired token with 401 invalid-token and an RFC 6750 challenge', async () => {
    const res = await call('GET', await token({ exp: Math.floor(Date.now() / 1000) - 3600 }));
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:invalid-token', status: 401 });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
  });

  it('refuses a token from another issuer with 401', async () => {
    const res = await call('GET', await token({ iss: 'https://evil.test' }));
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:invalid-token' });
  });

  it('refuses a token without the route scope with 403 insufficient-scope', async () => {
    const res = await call('DELETE', await token({ scope: 'kms:read' }));
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({
      type: 'urn:cryptoutil:problem:insufficient-scope',
      status: 403,
    });
    expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
  });

  it('asks for credentials when none are sent', async () => {
    const res = await call('GET');
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ type: 'urn:cryptoutil:problem:unauthenticated' });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});
