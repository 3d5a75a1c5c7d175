// Authentication against a real HTTPS JWKS endpoint (TLS 1.3, local CA given as caFile):
// JWT acceptance and every refusal, key rotation through a bounded refetch, an untrusted JWKS
// server, and API keys over the same Bearer header.
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  authConfigSchema,
  createAuthenticator,
  generateApiKey,
  hashApiKey,
  type AuthConfigInput,
  type Authenticator,
} from '../src/auth/index.js';
import { ProblemError, problems } from '../src/problems/index.js';
import {
  createTestCertificate,
  fakeRequest,
  startJwksServer,
  type JwksServer,
  type TestCertificate,
} from './auth-jwks-server.js';

const ISSUER = 'https://identity.test';
const PEPPER = 'integration-pepper-0123456789abcdef';

type Signer = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let certificate: TestCertificate;
let server: JwksServer;
const signers = new Map<string, { alg: string; key: Signer }>();

async function addKey(kid: string, alg: 'ES256' | 'RS256', publish = true): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  signers.set(kid, { alg, key: privateKey });
  if (publish) server.keys.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
}

interface TokenOptions {
  readonly kid?: string;
  readonly claims?: JWTPayload;
  readonly issuer?: string;
  readonly audience?: string;
  readonly exp?: number | string;
}

function sign(options: TokenOptions = {}): Promise<string> {
  const kid = options.kid ?? 'es-1';
  const signer = signers.get(kid)!;
  return new SignJWT({
    sub: 'svc-billing',
    tenant_id: 'acme',
    scope: 'kms:encrypt kms:decrypt',
    ...options.claims,
  })
    .setProtectedHeader({ alg: signer.alg, kid, typ: 'at+jwt' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? 'kms')
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '5m')
    .sign(signer.key);
}

function authenticator(
  jwt: Partial<NonNullable<AuthConfigInput['jwt']>> = {},
  logger = { warn: vi.fn() },
): Authenticator {
  return createAuthenticator(
    authConfigSchema.parse({
      jwt: {
        issuer: ISSUER,
        jwksUrl: `${server.origin}/jwks.json`,
        audience: ['kms', 'ca'],
        caFile: certificate.caFile,
        jwksCooldownMs: 0,
        ...jwt,
      },
      apiKeys: [
        { id: 'ci', hash: hashApiKey(ciKey.key, PEPPER), tenant: 'acme', scopes: ['kms:encrypt'] },
      ],
      pepper: PEPPER,
    }),
    { logger },
  );
}

const ciKey = generateApiKey({ id: 'ci' });

function bearer(credential: string): ReturnType<typeof fakeRequest> {
  return fakeRequest({ authorization: `Bearer ${credential}` });
}

async function refusal(auth: Authenticator, credential: string): Promise<ProblemError> {
  const error: unknown = await Promise.resolve(auth.authenticate(bearer(credential))).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemError);
  const problem = error as ProblemError;
  expect(problem.status).toBe(401);
  expect(problem.definition).toBe(problems.invalidToken);
  expect(problem.headers['www-authenticate']).toBe(
    `Bearer error="invalid_token", error_description="${problem.detail}"`,
  );
  // The credential never reaches the client-visible problem or the challenge.
  expect(JSON.stringify(problem.toBody())).not.toContain(credential);
  expect(problem.headers['www-authenticate']).not.toContain(credential);
  return problem;
}

beforeAll(async () => {
  certificate = await createTestCertificate();
  server = await startJwksServer(certificate);
  await addKey('es-1', 'ES256');
  await addKey('rs-1', 'RS256');
});

afterAll(async () => {
  await server.close();
  await certificate.remove();
});

describe('JWT bearer tokens against a real HTTPS JWKS', () => {
  it('accepts ES256 and RS256 tokens and maps subject, tenant and scopes', async () => {
    const auth = authenticator();
    expect(await auth.authenticate(bearer(await sign()))).toEqual({
      subject: 'svc-billing',
      tenant: 'acme',
      scopes: ['kms:encrypt', 'kms:decrypt'],
      method: 'jwt',
    });
    const rs = await auth.authenticate(
      bearer(await sign({ kid: 'rs-1', audience: 'ca', claims: { tenant_id: undefined } })),
    );
    expect(rs).toMatchObject({ subject: 'svc-billing', tenant: 'default', method: 'jwt' });
  });

  it('refuses an expired token beyond the clock tolerance', async () => {
    const exp = Math.floor(Date.now() / 1000) - 120;
    expect((await refusal(authenticator(), await sign({ exp }))).detail).toBe('token expired');
  });

  it('tolerates clock skew within clockToleranceSec', async () => {
    const exp = Math.floor(Date.now() / 1000) - 5;
    expect((await authenticator().authenticate(bearer(await sign({ exp }))))?.subject).toBe(
      'svc-billing',
    );
  });

  it('refuses a wrong issuer and a wrong audience', async () => {
    const auth = authenticator();
    expect((await refusal(auth, await sign({ issuer: 'https://evil.test' }))).detail).toBe(
      'wrong issuer',
    );
    expect((await refusal(auth, await sign({ audience: 'jose' }))).detail).toBe('wrong audience');
  });

  it('refuses a tampered signature', async () => {
    const token = await sign();
    const [header, payload, signature] = token.split('.');
    const flipped = (signature![0] === 'A' ? 'B' : 'A') + signature!.slice(1);
    expect((await refusal(authenticator(), `${header}.${payload}.${flipped}`)).detail).toBe(
      'bad signature',
    );
  });

  it('refuses alg none and HS256 tokens without fetching keys', async () => {
    const auth = authenticator();
    const before = server.fetches;
    const claims = {
      sub: 'admin',
      iss: ISSUER,
      aud: 'kms',
      exp: Math.floor(Date.now() / 1000) + 300,
    };
    const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const none = `${b64({ alg: 'none' })}.${b64(claims)}.`;
    expect((await refusal(auth, none)).detail).toBe('algorithm not allowed');
    const hs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'es-1' })
      .sign(new Uint8Array(32));
    expect((await refusal(auth, hs256)).detail).toBe('algorithm not allowed');
    expect(server.fetches).toBe(before);
  });

  it('caches the key set and refetches once for a kid added after the first fetch', async () => {
    const auth = authenticator();
    const before = server.fetches;
    await auth.authenticate(bearer(await sign()));
    await auth.authenticate(bearer(await sign({ kid: 'rs-1' })));
    expect(server.fetches).toBe(before + 1);
    await addKey('es-rotated', 'ES256');
    expect((await auth.authenticate(bearer(await sign({ kid: 'es-rotated' }))))?.method).toBe(
      'jwt',
    );
    expect(server.fetches).toBe(before + 2);
    await auth.authenticate(bearer(await sign({ kid: 'es-rotated' })));
    expect(server.fetches).toBe(before + 2);
  });

  it('bounds refetches for unknown kids by the cooldown', async () => {
    const auth = authenticator({ jwksCooldownMs: 3_600_000 });
    await auth.authenticate(bearer(await sign()));
    const after = server.fetches;
    await addKey('es-late', 'ES256');
    await addKey('never-published', 'ES256', false);
    expect((await refusal(auth, await sign({ kid: 'es-late' }))).detail).toBe(
      'unknown signing key',
    );
    expect((await refusal(auth, await sign({ kid: 'never-published' }))).detail).toBe(
      'unknown signing key',
    );
    expect(server.fetches).toBe(after);
  });

  it('refuses tokens when the JWKS certificate is not trusted, and logs why', async () => {
    const warn = vi.fn();
    const auth = authenticator({ caFile: undefined }, { warn });
    const problem = await refusal(auth, await sign());
    expect(problem.detail).toBe("the issuer's signing keys are unavailable");
    expect(warn).toHaveBeenCalledWith(
      {
        err: expect.objectContaining({
          message: expect.stringMatching(/unable to get local issuer certificate/),
        }),
        jwksUrl: expect.any(String),
      },
      'JWKS unavailable',
    );
  });

  const NOT_200 = 'Expected 200 OK from the JSON Web Key Set HTTP response';
  it.each([
    ['/redirect', 'a redirect, not followed', NOT_200],
    ['/large', 'a body over 1 MiB', 'JWKS response larger than 1048576 bytes'],
    ['/empty', 'a 204 without a body', NOT_200],
    ['/missing', 'a 404', NOT_200],
  ])('refuses tokens when the JWKS URL %s answers %s', async (path, _what, logged) => {
    const warn = vi.fn();
    const auth = authenticator({ jwksUrl: `${server.origin}${path}` }, { warn });
    expect((await refusal(auth, await sign())).detail).toBe(
      "the issuer's signing keys are unavailable",
    );
    expect(warn).toHaveBeenCalledWith(
      { err: expect.objectContaining({ message: logged }), jwksUrl: `${server.origin}${path}` },
      'JWKS unavailable',
    );
  });

  it('refuses tokens when the JWKS fetch times out', async () => {
    const warn = vi.fn();
    const auth = authenticator({ jwksUrl: `${server.origin}/hang`, jwksTimeoutMs: 200 }, { warn });
    expect((await refusal(auth, await sign())).detail).toBe(
      "the issuer's signing keys are unavailable",
    );
    expect(warn).toHaveBeenCalledWith(
      { err: expect.objectContaining({ name: 'JWKSTimeout' }), jwksUrl: expect.any(String) },
      'JWKS unavailable',
    );
  });
});

describe('API keys and other credentials', () => {
  it('accepts a valid API key', async () => {
    expect(await authenticator().authenticate(bearer(ciKey.key))).toEqual({
      subject: 'ci',
      tenant: 'acme',
      scopes: ['kms:encrypt'],
      method: 'api-key',
    });
  });

  it('refuses a wrong secret and an unknown id alike', async () => {
    const wrongSecret = `cu_ci_${generateApiKey().key.slice(-43)}`;
    expect((await refusal(authenticator(), wrongSecret)).detail).toBe('unknown or invalid API key');
    expect((await refusal(authenticator(), generateApiKey({ id: 'ghost' }).key)).detail).toBe(
      'unknown or invalid API key',
    );
  });

  it('returns undefined without an Authorization header', async () => {
    expect(await authenticator().authenticate(fakeRequest())).toBeUndefined();
  });

  it('answers Basic credentials with 401 and a Bearer challenge', async () => {
    const error: unknown = await Promise.resolve(
      authenticator().authenticate(fakeRequest({ authorization: 'Basic dXNlcjpwYXNz' })),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({
      status: 401,
      definition: problems.unauthenticated,
      headers: { 'www-authenticate': 'Bearer' },
    });
  });
});
