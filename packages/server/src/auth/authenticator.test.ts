import type { FastifyRequest } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { ProblemError, problems } from '../problems/index.js';
import { generateApiKey, hashApiKey } from './api-key.js';
import { authConfigSchema } from './auth-config.js';
import { createAuthenticator, parseBearer } from './authenticator.js';

const PEPPER = 'q'.repeat(40);
const ci = generateApiKey({ id: 'ci' });
const clientCert = {
  encrypted: true,
  authorized: true,
  getPeerCertificate: () => ({ subject: { CN: 'billing' } }),
};

function request(headers: Record<string, string>, socket: object = {}): FastifyRequest {
  return { headers, socket } as unknown as FastifyRequest;
}

async function problemOf(outcome: unknown): Promise<ProblemError> {
  const error: unknown = await Promise.resolve(outcome).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemError);
  return error as ProblemError;
}

describe('parseBearer', () => {
  it('takes the credential after a case-insensitive Bearer scheme', () => {
    expect(parseBearer('Bearer abc.def-_~+/==')).toBe('abc.def-_~+/==');
    expect(parseBearer('bearer xyz')).toBe('xyz');
  });

  it('answers other schemes with a bare Bearer challenge (RFC 6750 §3.1)', () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Digest x', 'Bearertoken', '']) {
      expect(() => parseBearer(header)).toThrow(
        expect.objectContaining({
          definition: problems.unauthenticated,
          detail: 'unsupported authorization scheme; use Bearer',
          headers: { 'www-authenticate': 'Bearer' },
        }),
      );
    }
  });

  it('refuses empty, malformed and oversized credentials', () => {
    expect(() => parseBearer('Bearer')).toThrow('malformed bearer credential');
    expect(() => parseBearer('Bearer ')).toThrow('malformed bearer credential');
    expect(() => parseBearer('Bearer a b')).toThrow('malformed bearer credential');
    expect(() => parseBearer('Bearer a"b')).toThrow('malformed bearer credential');
    expect(() => parseBearer(`Bearer ${'a'.repeat(8193)}`)).toThrow('bearer credential too long');
  });
});

describe('createAuthenticator', () => {
  const config = authConfigSchema.parse({
    apiKeys: [
      { id: 'ci', hash: hashApiKey(ci.key, PEPPER), tenant: 'acme', scopes: ['kms:encrypt'] },
    ],
    pepper: PEPPER,
    mtls: { enabled: true, tenant: 'internal', scopes: ['ca:read'] },
  });
  const authenticator = createAuthenticator(config);

  it('returns undefined when nothing is presented', async () => {
    expect(await authenticator.authenticate(request({}))).toBeUndefined();
    expect(await authenticator.authenticate(request({}, { encrypted: false }))).toBeUndefined();
  });

  it('accepts an API key bearer credential', async () => {
    expect(
      await authenticator.authenticate(request({ authorization: `Bearer ${ci.key}` })),
    ).toEqual({
      subject: 'ci',
      tenant: 'acme',
      scopes: ['kms:encrypt'],
      method: 'api-key',
    });
  });

  it('answers an API key and no credentials at once, and a refusal as a rejected promise', async () => {
    // The service chain admits a caller known at once in the same turn (no promise, no hop).
    const known = authenticator.authenticate(request({ authorization: `Bearer ${ci.key}` }));
    expect(known).not.toBeInstanceOf(Promise);
    expect(known).toMatchObject({ subject: 'ci', method: 'api-key' });
    expect(authenticator.authenticate(request({}))).toBeUndefined();
    const refused = authenticator.authenticate(request({ authorization: 'Bearer cu_ci_short' }));
    expect(refused).toBeInstanceOf(Promise);
    expect((await problemOf(refused)).detail).toBe('malformed API key');
  });

  it('uses a verified client certificate when no bearer is present', async () => {
    expect(await authenticator.authenticate(request({}, clientCert))).toEqual({
      subject: 'billing',
      tenant: 'internal',
      scopes: ['ca:read'],
      method: 'mtls',
    });
  });

  it('lets a bearer credential win over a client certificate', async () => {
    const principal = await authenticator.authenticate(
      request({ authorization: `Bearer ${ci.key}` }, clientCert),
    );
    expect(principal?.method).toBe('api-key');
  });

  it('ignores client certificates while mTLS is disabled', async () => {
    const noMtls = createAuthenticator(authConfigSchema.parse({}));
    expect(await noMtls.authenticate(request({}, clientCert))).toBeUndefined();
  });

  it('refuses a credential of neither shape', async () => {
    const problem = await problemOf(
      authenticator.authenticate(request({ authorization: 'Bearer opaque-token' })),
    );
    expect(problem.detail).toBe('unrecognised bearer credential');
    expect(problem.status).toBe(401);
  });

  it('refuses JWTs when no issuer is configured, without echoing the token', async () => {
    const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    const problem = await problemOf(
      authenticator.authenticate(request({ authorization: `Bearer ${token}` })),
    );
    expect(problem.detail).toBe('JWT bearer tokens are not accepted');
    expect(problem.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="JWT bearer tokens are not accepted"',
    );
    expect(JSON.stringify(problem.toBody())).not.toContain(token);
  });

  it('hands the fetch and logger options to the JWT verifier', async () => {
    const fetch = vi.fn(() => Promise.resolve(new Response('{}', { status: 503 })));
    const warn = vi.fn();
    const withJwt = createAuthenticator(
      authConfigSchema.parse({
        jwt: { issuer: 'i', jwksUrl: 'https://id.test/jwks', audience: 'a' },
      }),
      { fetch, logger: { warn } },
    );
    const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    const problem = await problemOf(
      withJwt.authenticate(request({ authorization: `Bearer ${token}` })),
    );
    expect(problem.detail).toBe("the issuer's signing keys are unavailable");
    expect(fetch).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledTimes(2); // the failed download, then the refused token
  });
});
