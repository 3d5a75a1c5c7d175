// The barrier's one error type. Each code is stable: products map `sealed` to 503
// `barrier-sealed` and the unseal codes to admin problems. Messages never carry key material,
// shares or secrets, and a decryption failure never says why beyond "decryption failed".
export type BarrierErrorCode =
  | 'sealed'
  | 'unseal-failed'
  | 'not-initialized'
  | 'already-initialized'
  | 'invalid-share'
  | 'duplicate-share'
  | 'wrong-mode'
  | 'unseal-keys-incomplete'
  | 'decrypt-failed';

export class BarrierError extends Error {
  readonly code: BarrierErrorCode;

  constructor(code: BarrierErrorCode, message: string) {
    super(message);
    this.name = 'BarrierError';
    this.code = code;
  }
}

export function isBarrierError(err: unknown, code?: BarrierErrorCode): err is BarrierError {
  return err instanceof BarrierError && (code === undefined || err.code === code);
}
