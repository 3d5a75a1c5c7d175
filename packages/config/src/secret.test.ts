import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isSecret, secret } from './secret.js';

describe('secret', () => {
  it('marks exactly the schemas it wraps', () => {
    const marked = secret(z.string());
    expect(isSecret(marked)).toBe(true);
    expect(isSecret(z.string())).toBe(false);
  });
});
