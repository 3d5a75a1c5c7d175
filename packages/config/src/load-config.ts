// The one configuration loader: defaults < YAML files (in order, later wins) < environment
// `CRYPTOUTIL_*` < `--set key.path=value` flags. Secret `file://` references are resolved, the
// result is validated by the zod schema, every failing key path is reported at once in a
// ConfigError, and the returned configuration is deeply frozen.
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { ENV_PREFIX } from './env-names.js';
import { deepFreeze, deepMerge, type PlainObject } from './merge.js';
import { findUnknownKeys, schemaAt } from './schema-walk.js';
import { resolveSecretFiles } from './secret-files.js';
import { readEnv, readFlags, readYamlFile } from './sources.js';

export interface LoadConfigOptions<S extends z.ZodType> {
  readonly schema: S;
  /** YAML files, applied in order; later files win. */
  readonly files?: readonly string[];
  /** Usually `process.env`; only names under `envPrefixes` are read. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Later prefixes win, e.g. `['CRYPTOUTIL_', 'CRYPTOUTIL_KMS__']`. */
  readonly envPrefixes?: readonly string[];
  /** `key.path=value` overrides from the command line; highest precedence. */
  readonly flags?: readonly string[];
  /** Programmatic values between defaults and files (e.g. `--dev` presets). */
  readonly base?: PlainObject;
}

export function loadConfig<S extends z.ZodType>(
  options: LoadConfigOptions<S>,
): Readonly<z.output<S>> {
  const { schema } = options;
  const issues: ConfigIssue[] = [];
  let merged: PlainObject = options.base ?? {};
  for (const file of options.files ?? []) {
    const fromFile = readYamlFile(file, issues);
    for (const key of findUnknownKeys(schema, fromFile)) {
      issues.push({ path: key, message: `unknown configuration key (in ${file})` });
    }
    merged = deepMerge(merged, fromFile);
  }
  merged = deepMerge(
    merged,
    readEnv(schema, options.env ?? {}, options.envPrefixes ?? [ENV_PREFIX]),
  );
  merged = deepMerge(merged, readFlags(schema, options.flags ?? [], issues));
  // Keys valid somewhere in the schema but not for the chosen variant (tls.certFile without
  // mode static) would otherwise be dropped silently; files were checked above with their names.
  const reported = new Set(issues.map((i) => i.path));
  for (const key of findUnknownKeys(schema, merged)) {
    if (reported.has(key)) continue;
    const elsewhere = schemaAt(schema, key.split('.')) !== undefined;
    issues.push({
      path: key,
      message: elsewhere ? 'not valid for the selected mode' : 'unknown configuration key',
    });
  }
  const resolved = resolveSecretFiles(schema, merged, issues);
  if (issues.length > 0) throw new ConfigError(issues);

  const result = schema.safeParse(resolved);
  if (!result.success) throw new ConfigError(result.error.issues.flatMap(toConfigIssues));
  return deepFreeze(result.data);
}

function toConfigIssues(issue: z.core.$ZodIssue): ConfigIssue[] {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: path ? `${path}.${key}` : key,
      message: 'unknown configuration key',
    }));
  }
  // zod messages describe the expectation, never echo the received value.
  return [{ path, message: issue.message }];
}
