import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isSecretField } from './secret-files.js';
import { isSecret, secret } from './secret.js';

describe('secret', () => {
  it('marks exactly the schemas it wraps', () => {
    expect(isSecret(secret(z.string()))).toBe(true);
    expect(isSecret(z.string())).toBe(false);
  });

  it('survives describe() and is found under optional/default wrappers', () => {
    const described = secret(z.string()).describe('a key');
    expect(isSecret(described)).toBe(true);
    expect(described.description).toBe('a key');
    expect(isSecretField(secret(z.string()).optional())).toBe(true);
    expect(isSecretField(secret(z.string()).default('x'))).toBe(true);
    expect(isSecretField(z.string().optional())).toBe(false);
  });
});
