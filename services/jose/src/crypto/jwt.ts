// JWT (RFC 7519) issue and check over jose. Issue builds the registered claims the service owns
// (iat, exp, jti) around the caller's; check verifies a compact JWS JWT with one key and maps
// each jose failure to the one named check the caller sees (RFC 8725 §3: explicit algorithm,
// typ, and every claim rule).
import type { JoseKey, SigningAlgorithm } from '@cryptoutil/jwa';
import {
  CompactSign,
  errors,
  jwtVerify,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import { JoseError } from '../domain/jose-error.js';
import { callerHeader } from './header-rules.js';

export const JWT_CHECKS = [
  'malformed',
  'decryption',
  'kid',
  'retired',
  'alg',
  'crit',
  'signature',
  'typ',
  'exp',
  'nbf',
  'iat',
  'iss',
  'aud',
  'sub',
  'required-claim',
  'max-age',
  'x5c',
] as const;
export type JwtCheck = (typeof JWT_CHECKS)[number];

/** A JWT that fails one named check; the message is safe to show (no claim values). */
export class JwtCheckFailure extends Error {
  override readonly name = 'JwtCheckFailure';
  constructor(
    readonly check: JwtCheck,
    message: string,
  ) {
    super(message);
  }
}

/** Registered claims the service sets itself (RFC 7519 §4.1), so `claims` may not. */
const OWNED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'] as const;

export interface IssueOptions {
  readonly claims: Readonly<Record<string, unknown>>;
  readonly iss?: string | undefined;
  readonly sub?: string | undefined;
  readonly aud?: string | readonly string[] | undefined;
  readonly nbf?: number | undefined;
  readonly jti: string;
  readonly now: number;
  readonly lifetimeSeconds: number;
  readonly typ: string;
}

/** The claims of a JWT to issue: the caller's plus iss/sub/aud/nbf and our iat, exp and jti. */
export function jwtClaims(options: IssueOptions): JWTPayload {
  for (const name of OWNED_CLAIMS) {
    if (name in options.claims) {
      throw new JoseError(
        'invalid-request',
        `claims may not hold ${name}: use the ${name === 'iat' || name === 'exp' ? 'lifetimeSeconds' : name} member`,
      );
    }
  }
  const iat = Math.floor(options.now / 1000);
  // The caller's claims first, then ours, in this order (assigned, not spread: cheaper).
  const claims: JWTPayload = { ...options.claims };
  if (options.iss !== undefined) claims.iss = options.iss;
  if (options.sub !== undefined) claims.sub = options.sub;
  if (options.aud !== undefined) claims.aud = options.aud as string | string[];
  if (options.nbf !== undefined) claims.nbf = options.nbf;
  claims.iat = iat;
  claims.exp = iat + options.lifetimeSeconds;
  claims.jti = options.jti;
  return claims;
}

export async function signJwt(
  claims: JWTPayload,
  signer: { readonly kid: string; readonly alg: SigningAlgorithm; readonly key: JoseKey },
  typ: string,
): Promise<string> {
  callerHeader({ typ }, 'the JWT header');
  // RFC 7519 §7.1: a JWS over the claims' JSON. The claims are ours (jwtClaims), so jose's
  // SignJWT, which clones and re-checks them, would only add cost.
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ })
    .sign(signer.key);
}

export interface JwtRules {
  readonly issuer?: string | readonly string[];
  readonly audience?: string | readonly string[];
  readonly subject?: string;
  readonly typ?: string;
  readonly requiredClaims?: readonly string[];
  readonly clockToleranceSeconds: number;
  readonly maxTokenAgeSeconds?: number;
  readonly now: number;
}

const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat', 'iss', 'aud', 'sub', 'typ']);

function toCheck(err: unknown): JwtCheckFailure {
  // jose reports an expired token and one older than maxTokenAge as JWTExpired (claim exp or
  // iat), every other claim rule as JWTClaimValidationFailed naming the claim.
  if (err instanceof errors.JWTExpired) {
    return err.claim === 'iat'
      ? new JwtCheckFailure('max-age', 'the token is older than maxTokenAgeSeconds')
      : new JwtCheckFailure('exp', 'the token has expired');
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    const { claim, reason } = err;
    if (TIME_CLAIMS.has(claim)) {
      const what =
        reason === 'missing' ? `the ${claim} claim is missing` : `the ${claim} check failed`;
      return new JwtCheckFailure(claim as JwtCheck, what);
    }
    return new JwtCheckFailure('required-claim', `the required claim ${claim} is missing`);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new JwtCheckFailure('signature', 'the signature does not verify');
  }
  if (err instanceof errors.JOSEAlgNotAllowed) {
    return new JwtCheckFailure('alg', 'the algorithm is not allowed');
  }
  if (err instanceof errors.JOSENotSupported) {
    return new JwtCheckFailure('crit', 'the token uses an extension this service does not know');
  }
  return new JwtCheckFailure('malformed', 'the token is not a well-formed JWT');
}

/** Verifies a compact JWS JWT and its claims; throws JwtCheckFailure naming the failed check. */
export async function checkJwt(
  jwt: string,
  key: JoseKey,
  alg: SigningAlgorithm,
  rules: JwtRules,
): Promise<{ claims: JWTPayload; protectedHeader: ProtectedHeaderParameters }> {
  try {
    const { payload, protectedHeader } = await jwtVerify(jwt, key, {
      algorithms: [alg],
      currentDate: new Date(rules.now),
      clockTolerance: rules.clockToleranceSeconds,
      ...(rules.issuer === undefined ? {} : { issuer: rules.issuer as string | string[] }),
      ...(rules.audience === undefined ? {} : { audience: rules.audience as string | string[] }),
      ...(rules.subject === undefined ? {} : { subject: rules.subject }),
      ...(rules.typ === undefined ? {} : { typ: rules.typ }),
      ...(rules.requiredClaims === undefined ? {} : { requiredClaims: [...rules.requiredClaims] }),
      ...(rules.maxTokenAgeSeconds === undefined ? {} : { maxTokenAge: rules.maxTokenAgeSeconds }),
    });
    // jose checks iat against the clock only with maxTokenAge; a token issued in the future is
    // refused in every case, as it is by most JWT libraries.
    if (
      typeof payload.iat === 'number' &&
      payload.iat > rules.now / 1000 + rules.clockToleranceSeconds
    ) {
      throw new JwtCheckFailure('iat', 'the token was issued in the future');
    }
    return { claims: payload, protectedHeader };
  } catch (err) {
    if (err instanceof errors.JOSEError) throw toCheck(err);
    throw err;
  }
}
