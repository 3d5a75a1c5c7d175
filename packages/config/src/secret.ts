// Secret fields: a zod registry marks the schemas whose values are secrets, so the loader
// resolves `file://` references for them and redaction and docs know them. Values of secret
// fields never reach logs, errors or generated docs.
import { z } from 'zod';

export interface SecretMeta {
  readonly secret: true;
}

export const secretRegistry = z.registry<SecretMeta>();

/** Marks a string schema as secret: it accepts `file:///run/secrets/name` references. */
export function secret<S extends z.ZodType<string>>(schema: S): S {
  secretRegistry.add(schema, { secret: true });
  return schema;
}

export function isSecret(schema: z.ZodType): boolean {
  return secretRegistry.has(schema);
}
