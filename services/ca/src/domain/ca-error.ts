// The CA domain's own errors: stable codes that the routes map once to problems (RFC 9457).
// Pure: no HTTP here. Messages are fixed phrases or name a field, a profile rule or a value the
// caller sent (a SAN, a key size): never key material.

export type CaErrorCode =
  /** No such CA, profile, certificate or request for this tenant (404). */
  | 'not-found'
  /** A CSR that is not PEM or DER PKCS#10, or whose signature does not verify (400). */
  | 'invalid-csr'
  /** The CSR's key is of a type or size the profile forbids, or too weak (400). */
  | 'key-not-allowed'
  /** A subject attribute or SAN outside the profile's rules, or one missing that it requires (400). */
  | 'name-not-allowed'
  /** A request the profile forbids: CA:TRUE through a leaf profile, an extension it rejects (400). */
  | 'profile-violation'
  /** A validity longer than the profile or the CA allows (400). */
  | 'validity-not-allowed'
  /** A request that cannot be served as asked, e.g. a bad filter or page token (400). */
  | 'invalid-request'
  /** The certificate is already revoked (409), or a request already decided (409). */
  | 'conflict'
  /** A CA that cannot issue: not an issuing CA, or not valid now (409). */
  | 'ca-unavailable';

export class CaError extends Error {
  override readonly name = 'CaError';
  readonly code: CaErrorCode;

  constructor(code: CaErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

export function isCaError(err: unknown, code?: CaErrorCode): err is CaError {
  return err instanceof CaError && (code === undefined || err.code === code);
}
