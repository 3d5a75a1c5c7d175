// Maps jose verification failures to the safe, fixed phrases sent in the 401 detail and the
// RFC 6750 error_description. jose messages and payloads are not forwarded: they may quote
// claim values, and the token itself never leaves the verifier.
import { errors } from 'jose';

/** Failures that mean the issuer's keys could not be obtained, not that the token is bad. */
export function isKeySourceFailure(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  return (
    error.code === 'ERR_JWKS_TIMEOUT' ||
    error.code === 'ERR_JWKS_INVALID' ||
    error.code === 'ERR_JOSE_GENERIC'
  );
}

const CLAIM_DETAILS: Readonly<Record<string, string>> = {
  iss: 'wrong issuer',
  aud: 'wrong audience',
  nbf: 'token not yet valid',
  exp: 'token has no valid expiry',
  sub: 'token has no subject',
  iat: 'token has an invalid issued-at time',
};

const CODE_DETAILS: Readonly<Record<string, string>> = {
  ERR_JWT_EXPIRED: 'token expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'bad signature',
  ERR_JWKS_NO_MATCHING_KEY: 'unknown signing key',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'ambiguous signing key',
  ERR_JOSE_ALG_NOT_ALLOWED: 'algorithm not allowed',
  ERR_JOSE_NOT_SUPPORTED: 'unsupported key or algorithm',
  ERR_JWK_INVALID: 'unusable signing key',
  ERR_JWS_INVALID: 'malformed token',
  ERR_JWT_INVALID: 'malformed token',
};

/** The detail for a failed `jwtVerify`. */
export function jwtFailureDetail(error: unknown): string {
  if (isKeySourceFailure(error)) return "the issuer's signing keys are unavailable";
  if (error instanceof errors.JWTClaimValidationFailed) {
    return CLAIM_DETAILS[error.claim] ?? `invalid ${error.claim} claim`.replace(/[^\w -]/g, '');
  }
  const code = (error as errors.JOSEError).code;
  return CODE_DETAILS[code] ?? 'invalid token';
}
