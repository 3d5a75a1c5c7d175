// The JOSE domain's own errors: stable codes that the routes map once to problems. Pure: no
// HTTP here. Messages are fixed phrases or name a header or claim: never key material,
// payloads or tokens.

export type JoseErrorCode =
  /** No such set or version for this tenant (404; another tenant's too). */
  | 'not-found'
  /** The tenant already has a set of that name (409). */
  | 'name-taken'
  /** The tenant already has a key version with that kid (409). */
  | 'kid-taken'
  /** A page token this service did not issue (400). */
  | 'invalid-page-token'
  /** A set definition whose parts do not fit together, e.g. ES256 on P-384 (400). */
  | 'invalid-key-spec'
  /** A BYOK JWK that is malformed, public-only, too weak or of the wrong type (400). */
  | 'invalid-key-material'
  /** A header member the caller may not set, or one that is malformed (400). */
  | 'invalid-header'
  /** A body that is not a well-formed JWE / JWS / JWT (400). */
  | 'malformed-jose'
  /** Any decryption failure; never says why (400). */
  | 'decryption-failed'
  /** No version of this tenant has the JWE's kid (400). */
  | 'unknown-kid'
  /** The key named is retired (409). */
  | 'key-retired'
  /** An operation the set's use does not allow, e.g. sign with an enc set (400). */
  | 'wrong-key-use'
  /** The request combines things that cannot go together, e.g. dir with two recipients (400). */
  | 'invalid-request'
  /** The current version cannot be retired (409). */
  | 'not-allowed';

export class JoseError extends Error {
  override readonly name = 'JoseError';
  readonly code: JoseErrorCode;

  constructor(code: JoseErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

export function isJoseError(err: unknown, code?: JoseErrorCode): err is JoseError {
  return err instanceof JoseError && (code === undefined || err.code === code);
}
