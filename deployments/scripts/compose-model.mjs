// Reads a compose file the way Compose does for what the config checks need: YAML with merge keys
// (`<<: *anchor`), `${VAR}` / `${VAR:-default}` / `${VAR-default}` interpolation, and, per
// cryptoutil service (one that sets CRYPTOUTIL_PRODUCT), its command, environment,
// stop_grace_period, the container ports it publishes and the host file behind each container path
// it mounts (bind volumes and file secrets at /run/secrets/<target>). Compose `include:` is
// followed. `hostCopy` turns a container config file into a host file that loads outside the
// container. Secret values are never read here.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// The `yaml` package the suite already depends on (packages/cli), not a second parser.
const { parse } = createRequire(join(root, 'packages/cli/package.json'))('yaml');

const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g;

/** Compose interpolation of one string; `$$` is a literal `$`. */
export function interpolate(text, env) {
  return text.replace(VARIABLE, (match, name, op, fallback) => {
    if (match === '$$') return '$';
    const value = env[name];
    if (op === ':-') return value === undefined || value === '' ? fallback : value;
    if (op === '-') return value === undefined ? fallback : value;
    return value ?? '';
  });
}

/** Compose interpolation of every string in a parsed document. */
export function interpolateAll(value, env) {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((v) => interpolateAll(v, env));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, env)]));
  }
  return value;
}

function environmentOf(service) {
  const env = service.environment ?? {};
  if (!Array.isArray(env))
    return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v ?? '')]));
  return Object.fromEntries(
    env.map((entry) => [entry.split('=', 1)[0], entry.slice(entry.indexOf('=') + 1)]),
  );
}

// Container path → host path for bind mounts ("./host:/container[:ro]") and file secrets.
function mountsOf(service, secrets, dir) {
  const mounts = new Map();
  for (const volume of service.volumes ?? []) {
    const [source, target] =
      typeof volume === 'string' ? volume.split(':') : [volume.source, volume.target];
    if (source !== undefined && target !== undefined && /^[./~]/.test(source)) {
      mounts.set(target, resolve(dir, source));
    }
  }
  for (const entry of service.secrets ?? []) {
    const source = typeof entry === 'string' ? entry : entry.source;
    const target = typeof entry === 'string' ? entry : (entry.target ?? entry.source);
    const file = secrets[source]?.file;
    if (file !== undefined) mounts.set(`/run/secrets/${target}`, resolve(dir, file));
  }
  return mounts;
}

// The container port of each published port: short syntax "[address:][host:]container[/proto]"
// or the long syntax's `target`.
function publishedOf(service) {
  return (service.ports ?? []).map((port) =>
    typeof port === 'object'
      ? Number(port.target)
      : Number(String(port).split(':').at(-1).split('/')[0]),
  );
}

const DURATION_UNITS = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, ns: 0.000001 };

/** A Compose duration (`20s`, `1m30s`, `500ms`) in milliseconds; Compose's default is 10 s. */
export function durationMs(text = '10s') {
  const parts = [...String(text).matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== String(text)) {
    throw new Error(`${text} is not a Compose duration`);
  }
  return parts.reduce((ms, [, n, unit]) => ms + Number(n) * DURATION_UNITS[unit], 0);
}

/** The cryptoutil services of `file` and of the files it includes, plus every service name. */
export function readCompose(file, env) {
  const dir = dirname(resolve(file));
  const doc = interpolateAll(parse(readFileSync(file, 'utf8'), { merge: true }) ?? {}, env);
  const services = Object.entries(doc.services ?? {})
    .filter(([, service]) => environmentOf(service).CRYPTOUTIL_PRODUCT !== undefined)
    .map(([name, service]) => ({
      name,
      file: relative(process.cwd(), resolve(file)),
      command: (service.command ?? []).map(String),
      environment: environmentOf(service),
      stopGraceMs: durationMs(service.stop_grace_period),
      published: publishedOf(service),
      mounts: mountsOf(service, doc.secrets ?? {}, dir),
    }));
  const names = Object.keys(doc.services ?? {});
  for (const entry of doc.include ?? []) {
    const included = readCompose(resolve(dir, typeof entry === 'string' ? entry : entry.path), env);
    services.push(...included.services);
    names.push(...included.names);
  }
  // A file reached through two includes (../otel/compose.yml) names its services once.
  return { services, names: [...new Set(names)] };
}

/** The `-c`/`--config` files of a cryptoutil command line. */
export function configFiles(args) {
  return args.flatMap((arg, i) => (arg === '-c' || arg === '--config' ? [args[i + 1]] : []));
}

/**
 * A host copy (in `dir`) of the config file a service sees at `containerPath`, its
 * /run/secrets/* paths pointing at the host files the service mounts; a path the service does
 * not mount stays as it is and so fails to load, as it would in the container.
 */
export function hostCopy(service, containerPath, dir, n) {
  const source = service.mounts.get(containerPath);
  if (source === undefined) throw new Error(`${containerPath} is not mounted into ${service.name}`);
  const text = readFileSync(source, 'utf8').replace(
    /\/run\/secrets\/[\w.-]+/g,
    (path) => service.mounts.get(path) ?? path,
  );
  const copy = join(dir, `${service.name}-${n}-${basename(source)}`);
  writeFileSync(copy, text);
  return copy;
}
