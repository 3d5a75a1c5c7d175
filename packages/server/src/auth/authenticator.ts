// `createAuthenticator`: one Authenticator over every configured credential. API keys and JWTs
// both arrive as `Authorization: Bearer` (RFC 6750 §2.1) and are told apart by shape; a bearer
// credential wins over a client certificate.
import type { FastifyRequest } from 'fastify';
import type { FetchImplementation } from 'jose';
import { ProblemError, problems } from '../problems/index.js';
import { API_KEY_PREFIX, createApiKeyVerifier } from './api-key.js';
import type { AuthConfig } from './auth-config.js';
import { bearerChallenge, invalidCredentials } from './bearer-challenge.js';
import { createJwtVerifier, type AuthLogger, type JwtVerifier } from './jwt-verifier.js';
import { principalFromClientCertificate } from './mtls.js';
import type { Authenticator, Principal } from './principal.js';

export interface AuthenticatorOptions {
  /** Replaces the node:https JWKS fetch (a jose `customFetch` implementation). */
  readonly fetch?: FetchImplementation;
  readonly logger?: AuthLogger;
}

// RFC 6750 §2.1: b64token; a JWS compact serialization has three base64url segments (RFC 7515
// §7.1); the third is empty for `alg: none`, which must reach the verifier to be refused.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const JWS_COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const MAX_CREDENTIAL_LENGTH = 8192;

/** The bearer credential of an Authorization header value. */
export function parseBearer(authorization: string): string {
  const space = authorization.indexOf(' ');
  const scheme = space === -1 ? authorization : authorization.slice(0, space);
  // RFC 9110 §11.1: the auth-scheme is case-insensitive.
  if (scheme.toLowerCase() !== 'bearer') {
    // RFC 6750 §3.1: an unsupported method gets a bare challenge, no error code.
    throw new ProblemError(problems.unauthenticated, {
      detail: 'unsupported authorization scheme; use Bearer',
      headers: { 'www-authenticate': bearerChallenge() },
    });
  }
  const credential = space === -1 ? '' : authorization.slice(space + 1).trim();
  if (credential.length > MAX_CREDENTIAL_LENGTH)
    throw invalidCredentials('bearer credential too long');
  if (!B64TOKEN.test(credential)) throw invalidCredentials('malformed bearer credential');
  return credential;
}

export function createAuthenticator(
  config: AuthConfig,
  options: AuthenticatorOptions = {},
): Authenticator {
  const apiKeys = createApiKeyVerifier(config.apiKeys, config.pepper);
  const jwt: JwtVerifier | undefined =
    config.jwt === undefined
      ? undefined
      : createJwtVerifier(config.jwt, {
          defaultTenant: config.defaultTenant,
          fetch: options.fetch,
          logger: options.logger,
        });
  /** The caller, at once for an API key or no credentials; throws the 401 problem. */
  function resolve(request: FastifyRequest): Principal | undefined | Promise<Principal> {
    const authorization = request.headers.authorization;
    if (authorization === undefined) {
      return config.mtls.enabled
        ? principalFromClientCertificate(request.socket, config.mtls)
        : undefined;
    }
    const credential = parseBearer(authorization);
    if (credential.startsWith(API_KEY_PREFIX)) return apiKeys.verify(credential);
    if (!JWS_COMPACT.test(credential)) throw invalidCredentials('unrecognised bearer credential');
    if (jwt === undefined) throw invalidCredentials('JWT bearer tokens are not accepted');
    return jwt.verify(credential);
  }
  return {
    // A refusal is always a rejected promise, so callers that await see one kind of failure.
    authenticate(request) {
      try {
        return resolve(request);
      } catch (error) {
        const refusal = error as Error;
        return Promise.reject(refusal);
      }
    },
  };
}
