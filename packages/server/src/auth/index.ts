// Pluggable authentication of the service kit: JWT bearer tokens (issuer JWKS), API keys and
// mTLS client certificates, each resolving to a tenant-scoped Principal.
export {
  authConfigSchema,
  apiKeyConfigSchema,
  jwtConfigSchema,
  mtlsConfigSchema,
  JWT_ALGORITHMS,
  type ApiKeyConfig,
  type AuthConfig,
  type AuthConfigInput,
  type JwtAlgorithm,
  type JwtConfig,
} from './auth-config.js';
export {
  API_KEY_PREFIX,
  createApiKeyVerifier,
  generateApiKey,
  hashApiKey,
  parseApiKeyId,
  type ApiKeyEntry,
  type ApiKeyVerifier,
  type GeneratedApiKey,
} from './api-key.js';
export { createAuthenticator, parseBearer, type AuthenticatorOptions } from './authenticator.js';
export { bearerChallenge, invalidCredentials, type BearerChallenge } from './bearer-challenge.js';
export { createJwksFetch, type JwksFetchOptions } from './jwks-fetch.js';
export {
  createJwtVerifier,
  type AuthLogger,
  type JwtVerifier,
  type JwtVerifierOptions,
} from './jwt-verifier.js';
export { principalFromClientCertificate, type MtlsOptions } from './mtls.js';
export {
  hasScopes,
  missingScopes,
  type AuthMethod,
  type Authenticator,
  type Principal,
} from './principal.js';
