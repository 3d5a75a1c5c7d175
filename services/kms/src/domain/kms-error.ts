// The KMS domain's own errors: stable codes that the routes map once to problems (409 for a
// refused transition or a taken name, 400 for a bad page token). Pure: no HTTP here.

export type KmsErrorCode = 'invalid-transition' | 'name-taken' | 'invalid-page-token';

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
