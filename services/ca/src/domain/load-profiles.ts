// Loads certificate profiles from YAML files: the shipped directory (services/ca/profiles), then
// any operator directories, later ones replacing a profile of the same id. Every problem in every
// file is collected and thrown at once as a ConfigError naming the file and the field, so a
// service refuses to start with a broken profile rather than issue through it.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type ConfigIssue } from '@cryptoutil/config';
import { parse } from 'yaml';
import type { z } from 'zod';
import { profileSchema, type Profile } from './profile.js';

/** services/ca/profiles, found from this module in src/domain or dist/domain alike. */
export const SHIPPED_PROFILES_DIR = resolve(
  fileURLToPath(new URL('../../profiles/', import.meta.url)),
);

const PREFIX = 'ca.profiles';
const EXTENSIONS = new Set(['.yaml', '.yml']);

export function loadProfiles(dirs: readonly string[]): ReadonlyMap<string, Profile> {
  const issues: ConfigIssue[] = [];
  const profiles = new Map<string, Profile>();
  for (const dir of dirs) {
    const seen = new Set<string>();
    for (const file of profileFiles(dir, issues)) {
      const id = basename(file, extname(file));
      if (seen.has(id)) {
        issues.push({ path: `${PREFIX}: ${file}`, message: `a second file for profile ${id}` });
        continue;
      }
      seen.add(id);
      const profile = loadProfile(file, id, issues);
      if (profile !== undefined) profiles.set(id, deepFreeze(profile));
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return profiles;
}

/** The *.yaml and *.yml files of `dir`, sorted by name. */
function profileFiles(dir: string, issues: ConfigIssue[]): string[] {
  try {
    return (
      readdirSync(dir, { withFileTypes: true })
        // Symbolic links too: Kubernetes mounts ConfigMap files as links.
        .filter((entry) => !entry.isDirectory() && EXTENSIONS.has(extname(entry.name)))
        .map((entry) => entry.name)
        .sort()
        .map((name) => join(dir, name))
    );
  } catch (err) {
    issues.push({
      path: `${PREFIX}: ${dir}`,
      message: `cannot read directory (${errorCode(err)})`,
    });
    return [];
  }
}

function loadProfile(file: string, id: string, issues: ConfigIssue[]): Profile | undefined {
  const at = (field: string) =>
    field === '' ? `${PREFIX}: ${file}` : `${PREFIX}: ${file}: ${field}`;
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const reason =
      err instanceof Error && err.name.startsWith('YAML') ? firstLine(err.message) : errorCode(err);
    issues.push({ path: at(''), message: `cannot read YAML: ${reason}` });
    return undefined;
  }
  const result = profileSchema.safeParse(document);
  if (!result.success) {
    for (const issue of result.error.issues) issues.push(...toIssues(issue, at));
    return undefined;
  }
  if (result.data.id !== id) {
    issues.push({ path: at('id'), message: `must equal the file name "${id}"` });
    return undefined;
  }
  return result.data;
}

function toIssues(issue: z.core.$ZodIssue, at: (field: string) => string): ConfigIssue[] {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: at(path ? `${path}.${key}` : key),
      message: 'unknown key',
    }));
  }
  return [{ path: at(path), message: issue.message }];
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

function errorCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : String(err);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
