import {
  CompactSign,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type FetchImplementation,
  type JWK,
  type JWTPayload,
} from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ProblemError } from '../problems/index.js';
import { authConfigSchema } from './auth-config.js';
import { createJwtVerifier } from './jwt-verifier.js';

const ISSUER = 'https://id.example';
const config = authConfigSchema.parse({
  jwt: {
    issuer: ISSUER,
    jwksUrl: 'https://id.example/jwks.json',
    audience: 'kms',
    algorithms: ['ES256'],
  },
}).jwt!;

let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let jwk: JWK;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
});

function jwksFetch(status = 200, body?: string): FetchImplementation {
  return () => Promise.resolve(new Response(body ?? JSON.stringify({ keys: [jwk] }), { status }));
}

function sign(claims: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ sub: 'svc-a', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', ...header })
    .setIssuer(ISSUER)
    .setAudience('kms')
    .setExpirationTime('5m')
    .sign(privateKey);
}

async function detailOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemError);
  return (error as ProblemError).detail;
}

describe('createJwtVerifier', () => {
  const verifier = () =>
    createJwtVerifier(config, { defaultTenant: 'default', fetch: jwksFetch() });

  it('maps sub, tenant claim and space-delimited scope', async () => {
    const token = await sign(
      { tenant_id: 'acme', scope: 'kms:read  kms:write' },
      { typ: 'at+jwt' },
    );
    expect(await verifier().verify(token)).toEqual({
      subject: 'svc-a',
      tenant: 'acme',
      scopes: ['kms:read', 'kms:write'],
      method: 'jwt',
    });
  });

  it('reads scp arrays and defaults the tenant', async () => {
    const principal = await verifier().verify(
      await sign({ scp: ['a', 'b'] }, { typ: 'application/AT+JWT' }),
    );
    expect(principal).toMatchObject({ tenant: 'default', scopes: ['a', 'b'] });
    expect((await verifier().verify(await sign({}, { typ: 'JWT' }))).scopes).toEqual([]);
  });

  it('uses the configured tenant claim', async () => {
    const custom = createJwtVerifier(
      { ...config, tenantClaim: 'org' },
      { defaultTenant: 'd', fetch: jwksFetch() },
    );
    expect((await custom.verify(await sign({ org: 'o1', tenant_id: 'ignored' }))).tenant).toBe(
      'o1',
    );
  });

  it.each([
    [{ scope: 42 }, 'invalid scope claim'],
    [{ scp: ['a', 1] }, 'invalid scope claim'],
    [{ tenant_id: 7 }, 'invalid tenant claim'],
    [{ tenant_id: '' }, 'invalid tenant claim'],
    [{ tenant_id: 'x'.repeat(129) }, 'invalid tenant claim'],
    [{ sub: '' }, 'token has no subject'],
    [{ sub: undefined }, 'token has no subject'],
    [{ nbf: Math.floor(Date.now() / 1000) + 3600 }, 'token not yet valid'],
  ])('refuses claims %j: %s', async (claims, detail) => {
    expect(await detailOf(verifier().verify(await sign(claims as JWTPayload)))).toBe(detail);
  });

  it('refuses a token without exp', async () => {
    const token = await new SignJWT({ sub: 's' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience('kms')
      .sign(privateKey);
    expect(await detailOf(verifier().verify(token))).toBe('token has no valid expiry');
  });

  it.each([
    [{ typ: 'id_token+jwt' }, 'token type not accepted'],
    [{ typ: 'dpop+jwt' }, 'token type not accepted'],
    [{ alg: 'ES384' }, 'algorithm not allowed'],
  ])('refuses header %j before fetching keys', async (header, detail) => {
    const fetch = vi.fn(jwksFetch());
    const strict = createJwtVerifier(config, { defaultTenant: 'default', fetch });
    const token = await sign();
    expect(await detailOf(strict.verify(token.replace(/^[^.]+/, encodeHeader(header))))).toBe(
      detail,
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it('refuses an undecodable header', async () => {
    expect(await detailOf(verifier().verify('e30x.e30.sig'))).toBe('malformed token');
  });

  it('refuses a payload changed after signing', async () => {
    const [header, , signature] = (await sign()).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', iss: ISSUER, aud: 'kms' })).toString(
      'base64url',
    );
    expect(await detailOf(verifier().verify(`${header}.${forged}.${signature}`))).toBe(
      'bad signature',
    );
  });

  it('refuses a signed payload that is not a claims set', async () => {
    const token = await new CompactSign(new TextEncoder().encode('not json'))
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(privateKey);
    expect(await detailOf(verifier().verify(token))).toBe('malformed token');
  });

  it('answers 401 and logs when the JWKS endpoint fails', async () => {
    const warn = vi.fn();
    for (const fetch of [
      jwksFetch(500),
      jwksFetch(200, 'not json'),
      jwksFetch(200, '{"keys":7}'),
    ]) {
      const failing = createJwtVerifier(config, { defaultTenant: 'd', fetch, logger: { warn } });
      expect(await detailOf(failing.verify(await sign()))).toBe(
        "the issuer's signing keys are unavailable",
      );
    }
    const rejecting = createJwtVerifier(config, {
      defaultTenant: 'd',
      fetch: () => Promise.reject(new Error('connect ECONNREFUSED')),
      logger: { warn },
    });
    expect(await detailOf(rejecting.verify(await sign()))).toBe(
      "the issuer's signing keys are unavailable",
    );
    // Each failure logs twice: the download's backoff, then the refused token.
    expect(warn).toHaveBeenCalledTimes(8);
    expect(warn).toHaveBeenLastCalledWith(
      { err: { name: 'Error', message: 'connect ECONNREFUSED' }, jwksUrl: config.jwksUrl },
      'JWKS unavailable',
    );
  });

  it('fails at construction when caFile cannot be read', () => {
    expect(() =>
      createJwtVerifier({ ...config, caFile: '/nonexistent/ca.pem' }, { defaultTenant: 'd' }),
    ).toThrow('auth.jwt.caFile: cannot read /nonexistent/ca.pem');
  });

  it('refuses an ambiguous key set', async () => {
    const fetch = () => Promise.resolve(Response.json({ keys: [jwk, { ...jwk }] }));
    const ambiguous = createJwtVerifier(config, { defaultTenant: 'd', fetch });
    const token = await new SignJWT({ sub: 's' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setAudience('kms')
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await detailOf(ambiguous.verify(token))).toBe('ambiguous signing key');
  });
});

function encodeHeader(header: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'k1', ...header })).toString('base64url');
}
