// Where the benchmark finds the suite: the built packages (`pnpm run build` emits dist/) and the
// exact Fastify and pino the kit itself depends on, so the ceiling runs the same versions.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';

const packages = new URL('../../packages/', import.meta.url);

function built(name) {
  const file = fileURLToPath(new URL(`${name}/dist/index.js`, packages));
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm run build\` first`);
  return import(pathToFileURL(file).href);
}

// Resolved from the package that declares the dependency, as Node does for the kit. `pkg` is a
// folder under packages/ (`../services/kms` reaches a service).
export function dependencyOf(pkg, name) {
  const require = createRequire(fileURLToPath(new URL(`${pkg}/package.json`, packages)));
  return import(pathToFileURL(require.resolve(name)).href);
}

export const loadServer = () => built('server');
export const loadTls = () => built('tls');
export const loadFastify = async () => (await dependencyOf('server', 'fastify')).default;
export const loadPino = async () => (await dependencyOf('telemetry', 'pino')).pino;
