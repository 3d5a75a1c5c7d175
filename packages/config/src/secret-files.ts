// Resolves `file://` references in secret fields (Docker secrets: `file:///run/secrets/name`)
// before validation, so schema rules such as a minimum length apply to the secret itself.
// A missing file is an issue naming the key path and the file, never the secret's value.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { ConfigIssue } from './config-error.js';
import { isPlainObject } from './merge.js';
import { childrenAt, defOf } from './schema-walk.js';
import { isSecret } from './secret.js';

export function isSecretField(schema: z.ZodType): boolean {
  let current: z.ZodType | undefined = schema;
  while (current) {
    if (isSecret(current)) return true;
    const def = defOf(current);
    current = def.type === 'pipe' ? def.in : def.innerType;
  }
  return false;
}

function readSecretFile(ref: string, path: string, issues: ConfigIssue[]): string | undefined {
  if (!ref.startsWith('file:///')) {
    issues.push({ path, message: 'secret reference must be an absolute file:/// URL' });
    return undefined;
  }
  const file = fileURLToPath(ref);
  try {
    // One trailing newline is how `echo` and most editors end a file; it is not part of a secret.
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'secret file not found' : `cannot read secret file (${code})`;
    issues.push({ path, message: `${why}: ${file}` });
    return undefined;
  }
}

export function resolveSecretFiles(
  schema: z.ZodType,
  value: unknown,
  issues: ConfigIssue[],
  path: readonly string[] = [],
): unknown {
  if (typeof value === 'string') {
    if (!value.startsWith('file:') || !isSecretField(schema)) return value;
    return readSecretFile(value, path.join('.'), issues) ?? value;
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => resolveChild(schema, String(i), item, issues, path));
  }
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        key,
        resolveChild(schema, key, child, issues, path),
      ]),
    );
  }
  return value;
}

function resolveChild(
  schema: z.ZodType,
  key: string,
  value: unknown,
  issues: ConfigIssue[],
  path: readonly string[],
): unknown {
  const candidates = childrenAt(schema, key);
  const child = candidates.find(isSecretField) ?? candidates[0];
  return child ? resolveSecretFiles(child, value, issues, [...path, key]) : value;
}
