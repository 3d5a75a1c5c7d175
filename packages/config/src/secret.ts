// Secret fields: `secret()` marks a schema through zod's global metadata (`{ secret: true }`),
// which survives `.describe()` and other clones, so the loader resolves `file://` references
// for it and redaction and docs know it. Values of secret fields never reach logs, errors or
// generated docs.
import type { z } from 'zod';

/** Marks a string schema as secret: it accepts `file:///run/secrets/name` references. */
export function secret<S extends z.ZodType<string>>(schema: S): S {
  return schema.meta({ ...schema.meta(), secret: true });
}

export function isSecret(schema: z.ZodType): boolean {
  return schema.meta()?.['secret'] === true;
}
