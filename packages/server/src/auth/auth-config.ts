// The `auth` section of a product's config: which credentials a service accepts (JWT bearer
// tokens from an issuer's JWKS, API keys, mTLS client certificates) and how each maps to a
// tenant and scopes. Only FIPS 140-3 asymmetric signature algorithms are accepted (§6).
import { secret } from '@cryptoutil/config';
import { z } from 'zod';
import { API_KEY_HASH_PATTERN, API_KEY_ID_PATTERN } from './api-key.js';

/**
 * JWS algorithms a resource server may verify with public keys from a JWKS. `none`, HS*
 * (a shared secret cannot come from a public JWKS: RFC 8725 §3.1 algorithm confusion) and
 * anything outside FIPS 140-3 are not listed, so the schema rejects them.
 */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

const algorithm = z.enum(JWT_ALGORITHMS, {
  error: (issue) =>
    `${String(issue.input)} is not an allowed JWT algorithm (FIPS 140-3 asymmetric only: ${JWT_ALGORITHMS.join(', ')})`,
});

const scopes = z.array(
  z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'RFC 6749 §3.3 scope token'),
);
const tenant = z.string().min(1).max(128);

export const jwtConfigSchema = z.object({
  issuer: z.string().min(1).describe('Expected `iss` claim of accepted tokens, compared exactly.'),
  jwksUrl: z
    .url({ protocol: /^https$/, error: 'must be an https URL' })
    .describe(
      "HTTPS URL of the issuer's JWKS (RFC 7517), e.g. https://identity:8100/.well-known/jwks.json.",
    ),
  audience: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .describe('Accepted `aud` value(s); a token must name at least one.'),
  caFile: z
    .string()
    .min(1)
    .optional()
    .describe(
      'PEM file of the CA(s) trusted for the JWKS server certificate, used instead of the bundled public roots; absent: public roots. Verification is never disabled.',
    ),
  algorithms: z
    .array(algorithm)
    .min(1)
    .default(['RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'])
    .describe('JWS algorithms accepted in the token header (FIPS 140-3 asymmetric only).'),
  tenantClaim: z
    .string()
    .min(1)
    .default('tenant_id')
    .describe('Claim that names the tenant; tokens without it belong to `auth.defaultTenant`.'),
  clockToleranceSec: z
    .number()
    .int()
    .min(0)
    .max(300)
    .default(30)
    .describe('Clock skew tolerated when checking `exp` and `nbf`, in seconds.'),
  jwksCacheMaxAgeMs: z
    .number()
    .int()
    .min(0)
    .default(600_000)
    .describe('How long fetched keys are used before the JWKS is fetched again, in ms.'),
  jwksCooldownMs: z
    .number()
    .int()
    .min(0)
    .default(30_000)
    .describe('Minimum time between refetches caused by an unknown `kid` (key rotation), in ms.'),
  jwksTimeoutMs: z
    .number()
    .int()
    .min(1)
    .max(60_000)
    .default(5_000)
    .describe('Timeout of one JWKS fetch, in ms.'),
});

export const apiKeyConfigSchema = z.object({
  id: z
    .string()
    .regex(API_KEY_ID_PATTERN, 'letters, digits and "-" only, at most 64')
    .describe('Key id, the part between `cu_` and the secret in the key.'),
  hash: z
    .string()
    .regex(API_KEY_HASH_PATTERN, 'expected hkdf-sha256$1$<43 base64url chars>')
    .describe('Stored hash of the key (`cryptoutil` hashApiKey output), never the key itself.'),
  tenant: tenant.default('default').describe('Tenant of requests made with this key.'),
  scopes: scopes.describe('Scopes granted to this key.'),
});

export const mtlsConfigSchema = z.object({
  enabled: z
    .boolean()
    .default(false)
    .describe('Accept verified TLS client certificates (subject CN becomes the principal).'),
  tenant: tenant.default('default').describe('Tenant of requests authenticated by certificate.'),
  scopes: scopes.default([]).describe('Scopes granted to certificate-authenticated clients.'),
});

export const authConfigSchema = z
  .object({
    jwt: jwtConfigSchema.optional().describe('JWT bearer tokens verified against an issuer JWKS.'),
    apiKeys: z
      .array(apiKeyConfigSchema)
      .default([])
      .describe('Accepted API keys, stored as hashes.'),
    pepper: secret(z.string().min(32))
      .optional()
      .describe(
        'Secret pepper of the API key hashes (at least 32 chars; e.g. file:///run/secrets/pepper).',
      ),
    mtls: mtlsConfigSchema.prefault({}).describe('mTLS client certificate authentication.'),
    defaultTenant: tenant.default('default').describe('Tenant of JWTs that carry no tenant claim.'),
  })
  .superRefine((config, ctx) => {
    if (config.apiKeys.length > 0 && config.pepper === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['pepper'],
        message: 'auth.pepper is required when auth.apiKeys is non-empty',
      });
    }
    const seen = new Set<string>();
    config.apiKeys.forEach((key, index) => {
      if (seen.has(key.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['apiKeys', index, 'id'],
          message: `duplicate API key id ${key.id}`,
        });
      }
      seen.add(key.id);
    });
  });

export type AuthConfig = z.output<typeof authConfigSchema>;
export type AuthConfigInput = z.input<typeof authConfigSchema>;
export type JwtConfig = z.output<typeof jwtConfigSchema>;
export type ApiKeyConfig = z.output<typeof apiKeyConfigSchema>;
