import { describe, expect, it } from 'vitest';
import { isSecret } from '@cryptoutil/config';
import { authConfigSchema } from './auth-config.js';

const PEPPER = 'p'.repeat(32);
const HASH = `hkdf-sha256$1$${'A'.repeat(43)}`;
const jwt = {
  issuer: 'https://id.example',
  jwksUrl: 'https://id.example/jwks.json',
  audience: 'kms',
};

function messages(input: unknown): string[] {
  const result = authConfigSchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('authConfigSchema', () => {
  it('fills every default from an empty section', () => {
    expect(authConfigSchema.parse({})).toEqual({
      apiKeys: [],
      mtls: { enabled: false, tenant: 'default', scopes: [] },
      defaultTenant: 'default',
    });
  });

  it('fills the jwt defaults', () => {
    expect(authConfigSchema.parse({ jwt }).jwt).toEqual({
      ...jwt,
      algorithms: ['RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'],
      tenantClaim: 'tenant_id',
      clockToleranceSec: 30,
      jwksCacheMaxAgeMs: 600_000,
      jwksCooldownMs: 30_000,
      jwksTimeoutMs: 5_000,
    });
  });

  it('requires auth.pepper when API keys are configured', () => {
    const apiKeys = [{ id: 'ci', hash: HASH, scopes: ['a'] }];
    expect(messages({ apiKeys })).toEqual([
      'pepper: auth.pepper is required when auth.apiKeys is non-empty',
    ]);
    expect(authConfigSchema.parse({ apiKeys, pepper: PEPPER }).apiKeys).toEqual([
      { id: 'ci', hash: HASH, tenant: 'default', scopes: ['a'] },
    ]);
  });

  it('refuses a short pepper, a bad hash and duplicate ids', () => {
    expect(messages({ pepper: 'short' })).toEqual([
      'pepper: Too small: expected string to have >=32 characters',
    ]);
    expect(
      messages({ pepper: PEPPER, apiKeys: [{ id: 'ci', hash: 'plain-key', scopes: [] }] }),
    ).toEqual(['apiKeys.0.hash: expected hkdf-sha256$1$<43 base64url chars>']);
    const key = { id: 'ci', hash: HASH, scopes: [] };
    expect(messages({ pepper: PEPPER, apiKeys: [key, key] })).toEqual([
      'apiKeys.1.id: duplicate API key id ci',
    ]);
    expect(messages({ pepper: PEPPER, apiKeys: [{ ...key, id: 'a_b' }] })).toEqual([
      'apiKeys.0.id: letters, digits and "-" only, at most 64',
    ]);
  });

  it.each(['HS256', 'HS512', 'none', 'RSA1_5', 'RSA-OAEP', 'ES256K'])(
    'rejects algorithm %s',
    (alg) => {
      const [message] = messages({ jwt: { ...jwt, algorithms: ['ES256', alg] } });
      expect(message).toMatch(
        new RegExp(`^jwt\\.algorithms\\.1: ${alg} is not an allowed JWT algorithm \\(FIPS 140-3`),
      );
    },
  );

  it('requires an https JWKS URL and a non-empty audience', () => {
    expect(messages({ jwt: { ...jwt, jwksUrl: 'http://id.example/jwks.json' } })).toEqual([
      'jwt.jwksUrl: must be an https URL',
    ]);
    expect(messages({ jwt: { ...jwt, audience: [] } })[0]).toMatch(/^jwt\.audience: /);
    expect(
      authConfigSchema.parse({ jwt: { ...jwt, audience: ['kms', 'ca'] } }).jwt?.audience,
    ).toEqual(['kms', 'ca']);
  });

  it('bounds the clock tolerance', () => {
    expect(messages({ jwt: { ...jwt, clockToleranceSec: 301 } })).toEqual([
      'jwt.clockToleranceSec: Too big: expected number to be <=300',
    ]);
  });

  it('describes every key and marks the pepper secret', () => {
    const shape = authConfigSchema.shape;
    for (const [key, schema] of Object.entries(shape)) expect(schema.description, key).toBeTruthy();
    for (const nested of [
      shape.jwt.unwrap(),
      shape.apiKeys.unwrap().element,
      shape.mtls.unwrap(),
    ]) {
      for (const [key, schema] of Object.entries(nested.shape))
        expect(schema.description, key).toBeTruthy();
    }
    expect(isSecret(shape.pepper.unwrap())).toBe(true);
  });
});
