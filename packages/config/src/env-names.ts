// Maps key paths to environment variable names and back: `public.bodyLimit` is
// `CRYPTOUTIL_PUBLIC__BODY_LIMIT` (segments joined by `__`, camelCase to UPPER_SNAKE).
export const ENV_PREFIX = 'CRYPTOUTIL_';

export function envNameFor(path: readonly string[], prefix = ENV_PREFIX): string {
  return (
    prefix + path.map((s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__')
  );
}

/** The key path an env name stands for, or undefined when it does not start with the prefix. */
export function pathForEnvName(name: string, prefix = ENV_PREFIX): string[] | undefined {
  if (!name.startsWith(prefix) || name.length === prefix.length) return undefined;
  return name
    .slice(prefix.length)
    .split('__')
    .map((segment) =>
      segment.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()),
    );
}
