// JWT bearer access tokens (RFC 9068) verified with jose against the issuer's JWKS. Keys are
// cached; an unknown `kid` refetches the set (key rotation) at most once per cooldown. The
// JWKS is fetched over node:https trusting `caFile`, TLS 1.3, verification always on.
import { readFileSync } from 'node:fs';
import {
  createRemoteJWKSet,
  customFetch,
  decodeProtectedHeader,
  jwtVerify,
  type FetchImplementation,
  type JWTPayload,
} from 'jose';
import type { JwtConfig } from './auth-config.js';
import { invalidCredentials } from './bearer-challenge.js';
import { withJwksBackoff } from './jwks-backoff.js';
import { createJwksFetch } from './jwks-fetch.js';
import { isKeySourceFailure, jwtFailureDetail } from './jwt-errors.js';
import { createPrincipal, type Principal } from './principal.js';

/** The part of a pino/Fastify logger the authenticator uses. */
export interface AuthLogger {
  warn(obj: object, msg: string): void;
}

export interface JwtVerifierOptions {
  readonly defaultTenant: string;
  /** Replaces the node:https JWKS fetch (tests, proxies). */
  readonly fetch?: FetchImplementation | undefined;
  readonly logger?: AuthLogger | undefined;
}

export interface JwtVerifier {
  verify(token: string): Promise<Principal>;
}

// RFC 9068 §2.1 `at+jwt`; RFC 7519 §5.1 `JWT`; RFC 7515 §4.1.9: compare case-insensitively
// with the optional "application/" prefix removed.
const ACCEPTED_TYP = new Set(['jwt', 'at+jwt']);

function checkHeader(token: string, algorithms: readonly string[]): void {
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw invalidCredentials('malformed token');
  }
  // Checked before any key lookup, so `none`/HS* tokens never cause a JWKS fetch.
  if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) {
    throw invalidCredentials('algorithm not allowed');
  }
  if (header.typ !== undefined) {
    const typ = String(header.typ)
      .toLowerCase()
      .replace(/^application\//, '');
    if (!ACCEPTED_TYP.has(typ)) throw invalidCredentials('token type not accepted');
  }
}

function readScopes(payload: JWTPayload): string[] {
  // RFC 9068 §2.2.3 / RFC 8693 §4.2: `scope` is space-delimited; `scp` (common) may be an array.
  const raw = payload.scope ?? payload.scp ?? [];
  if (typeof raw === 'string') return raw.split(' ').filter((scope) => scope !== '');
  if (Array.isArray(raw) && raw.every((scope) => typeof scope === 'string')) return raw;
  throw invalidCredentials('invalid scope claim');
}

function toPrincipal(payload: JWTPayload, tenantClaim: string, defaultTenant: string): Principal {
  if (typeof payload.sub !== 'string' || payload.sub === '')
    throw invalidCredentials('token has no subject');
  const tenant = payload[tenantClaim] ?? defaultTenant;
  if (typeof tenant !== 'string' || tenant === '' || tenant.length > 128) {
    throw invalidCredentials('invalid tenant claim');
  }
  return createPrincipal({
    subject: payload.sub,
    tenant,
    scopes: readScopes(payload),
    method: 'jwt',
  });
}

function readCa(caFile: string): Buffer {
  try {
    return readFileSync(caFile);
  } catch (cause) {
    // Startup error for the operator; the path is config, not a secret.
    throw new Error(`auth.jwt.caFile: cannot read ${caFile}`, { cause });
  }
}

export function createJwtVerifier(config: JwtConfig, options: JwtVerifierOptions): JwtVerifier {
  const download =
    options.fetch ??
    createJwksFetch(config.caFile === undefined ? {} : { ca: readCa(config.caFile) });
  const fetch = withJwksBackoff(download, {
    onFailure: ({ reason, retryInMs }) =>
      options.logger?.warn(
        { jwksUrl: config.jwksUrl, reason, retryInMs },
        'JWKS download failed; serving the last good key set if any, retrying after a backoff',
      ),
  });
  const jwks = createRemoteJWKSet(new URL(config.jwksUrl), {
    cacheMaxAge: config.jwksCacheMaxAgeMs,
    cooldownDuration: config.jwksCooldownMs,
    timeoutDuration: config.jwksTimeoutMs,
    [customFetch]: fetch,
  });
  const verifyOptions = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: config.algorithms,
    clockTolerance: config.clockToleranceSec,
    requiredClaims: ['exp', 'sub'],
  };
  return {
    async verify(token) {
      checkHeader(token, config.algorithms);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, verifyOptions));
      } catch (error) {
        if (isKeySourceFailure(error)) {
          const { name, message } = error instanceof Error ? error : new Error(String(error));
          options.logger?.warn(
            { err: { name, message }, jwksUrl: config.jwksUrl },
            'JWKS unavailable',
          );
        }
        throw invalidCredentials(jwtFailureDetail(error));
      }
      return toPrincipal(payload, config.tenantClaim, options.defaultTenant);
    },
  };
}
