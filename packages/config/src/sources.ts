// Reads the configuration sources into plain objects: YAML files, `CRYPTOUTIL_*` environment
// variables and `key.path=value` flags, each coerced against the schema. Problems are collected
// as ConfigIssues, never thrown one at a time.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { coerceString } from './coerce.js';
import type { ConfigIssue } from './config-error.js';
import { pathForEnvName } from './env-names.js';
import { isPlainObject, setPath, type PlainObject } from './merge.js';
import { schemaAt } from './schema-walk.js';

export function readYamlFile(file: string, issues: ConfigIssue[]): PlainObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? 'error'})`;
    issues.push({ path: `config file ${file}`, message: why });
    return {};
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const where = e.linePos?.[0] ? ` at line ${e.linePos[0].line}` : '';
      issues.push({ path: `config file ${file}`, message: `invalid YAML${where}: ${e.code}` });
    }
    return {};
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    issues.push({ path: `config file ${file}`, message: 'must be a YAML mapping' });
    return {};
  }
  return value;
}

/** Values of env variables under the given prefixes that name a key of the schema. */
export function readEnv(
  schema: z.ZodType,
  env: Readonly<Record<string, string | undefined>>,
  prefixes: readonly string[],
): PlainObject {
  const out: PlainObject = {};
  for (const prefix of prefixes) {
    for (const [name, raw] of Object.entries(env)) {
      if (raw === undefined) continue;
      const path = pathForEnvName(name, prefix);
      const leaf = path && schemaAt(schema, path);
      // Unknown names are ignored: in `cryptoutil dev` several products share one environment.
      if (path && leaf) setPath(out, path, coerceString(leaf, raw));
    }
  }
  return out;
}

/** `key.path=value` flags; unknown key paths are issues (a typo on the command line). */
export function readFlags(
  schema: z.ZodType,
  flags: readonly string[],
  issues: ConfigIssue[],
): PlainObject {
  const out: PlainObject = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) {
      issues.push({ path: `--set ${flag}`, message: 'expected key.path=value' });
      continue;
    }
    const path = flag.slice(0, eq).split('.');
    const leaf = schemaAt(schema, path);
    if (!leaf) {
      issues.push({ path: path.join('.'), message: 'unknown configuration key' });
      continue;
    }
    setPath(out, path, coerceString(leaf, flag.slice(eq + 1)));
  }
  return out;
}
