// The error type and its guard.
import { describe, expect, it } from 'vitest';
import { BarrierError, isBarrierError } from './barrier-error.js';

describe('BarrierError', () => {
  it('carries a stable code and is recognised by isBarrierError', () => {
    const err = new BarrierError('sealed', 'the barrier is sealed');
    expect(err).toMatchObject({
      name: 'BarrierError',
      code: 'sealed',
      message: 'the barrier is sealed',
    });
    expect(isBarrierError(err)).toBe(true);
    expect(isBarrierError(err, 'sealed')).toBe(true);
    expect(isBarrierError(err, 'unseal-failed')).toBe(false);
    expect(isBarrierError(new Error('sealed'))).toBe(false);
  });
});
