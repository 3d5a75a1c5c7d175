// Copies a configuration with every secret field replaced, for printing the effective
// configuration at start or from the CLI without leaking a secret.
import type { z } from 'zod';
import { isPlainObject } from './merge.js';
import { childrenAt } from './schema-walk.js';
import { isSecretField } from './secret-files.js';

export const REDACTED = '[redacted]';

export function redactConfig(schema: z.ZodType, value: unknown): unknown {
  if (isSecretField(schema) && value !== undefined) return REDACTED;
  if (Array.isArray(value)) {
    return value.map((item, i) => redactChild(schema, String(i), item));
  }
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, redactChild(schema, key, child)]),
    );
  }
  return value;
}

function redactChild(schema: z.ZodType, key: string, value: unknown): unknown {
  const candidates = childrenAt(schema, key);
  const child = candidates.find(isSecretField) ?? candidates[0];
  return child ? redactConfig(child, value) : value;
}
