// The KMS domain's own errors: stable codes that the routes map once to problems (404, 409,
// 400). Pure: no HTTP here. Messages are fixed phrases: never key material or payloads.

export type KmsErrorCode =
  /** No such elastic or material key for this tenant (404; another tenant's key too). */
  | 'not-found'
  /** The status machine refused the event (409). */
  | 'invalid-transition'
  /** The tenant already has an elastic key of that name (409). */
  | 'name-taken'
  /** A page token this service did not issue (400). */
  | 'invalid-page-token'
  /** A BYOK JWK that is malformed, public-only, too weak or of the wrong type (400). */
  | 'invalid-key-material'
  /** A body that is not a well-formed JWE / JWS of the accepted serializations (400). */
  | 'malformed-jose'
  /** Any decryption failure; never says why (400). */
  | 'decryption-failed'
  /** A JWS whose signature does not verify with the named material key (400). */
  | 'signature-invalid'
  /** An operation the key's algorithm does not support, e.g. sign with an encryption key (400). */
  | 'wrong-key-use'
  /** The elastic key has no usable material key, or is not active (409). */
  | 'key-not-active'
  /** Import on a key that does not allow it, or a second version without versioning (409). */
  | 'not-allowed';

export class KmsError extends Error {
  override readonly name = 'KmsError';
  readonly code: KmsErrorCode;

  constructor(code: KmsErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** True when `err` is a KmsError, optionally with the given code. */
export function isKmsError(err: unknown, code?: KmsErrorCode): err is KmsError {
  return err instanceof KmsError && (code === undefined || err.code === code);
}
