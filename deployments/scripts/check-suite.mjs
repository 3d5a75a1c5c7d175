#!/usr/bin/env node
// Checks what the suite's compose file (deployments/compose/compose.yml) makes of the product
// files it includes, which no engine here merges (ARCHITECTURE §8): Compose copies every
// included resource (service, volume, network, secret) into one project and refuses a name
// that two files define differently, while a file reached twice with identical definitions
// (otel/compose.yml through every product) is loaded once. This check merges the same way,
// with relative paths resolved against each file's folder as Compose does, and also fails when
// two services publish the same host address and port, which Compose only finds at `up`.
//
//   node deployments/scripts/check-suite.mjs deployments/compose/compose.yml [more compose files]
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interpolateAll } from './compose-model.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { parse } = createRequire(join(root, 'packages/cli/package.json'))('yaml');
const KINDS = ['services', 'volumes', 'networks', 'secrets'];
const problems = [];

// Relative host paths of one file, made absolute as Compose does for an included file.
function resolvePaths(doc, dir) {
  const at = (p) => (/^\.\.?\//.test(p) ? resolve(dir, p) : p);
  for (const service of Object.values(doc.services ?? {})) {
    if (typeof service.build === 'object') service.build.context = at(service.build.context);
    service.volumes = (service.volumes ?? []).map((v) =>
      typeof v === 'string' ? v.replace(/^[^:]+/, at) : v,
    );
  }
  for (const secret of Object.values(doc.secrets ?? {})) {
    if (secret.file !== undefined) secret.file = at(secret.file);
  }
  return doc;
}

/** The project `file` makes: its own resources plus every included file's, merged. */
function load(file, env) {
  const dir = dirname(resolve(file));
  const doc = resolvePaths(
    interpolateAll(parse(readFileSync(file, 'utf8'), { merge: true }), env),
    dir,
  );
  for (const entry of doc.include ?? []) {
    const path = resolve(dir, typeof entry === 'string' ? entry : entry.path);
    const included = load(path, env);
    for (const kind of KINDS) {
      doc[kind] ??= {};
      for (const [name, definition] of Object.entries(included[kind] ?? {})) {
        const known = doc[kind][name];
        if (known === undefined) doc[kind][name] = definition;
        else if (!isDeepStrictEqual(known, definition)) {
          problems.push(`${kind}.${name} of ${path} conflicts with another definition`);
        }
      }
    }
  }
  delete doc.include;
  return doc;
}

// Short syntax only ("[address:]host:container[/proto]"), the form these files use.
function publishedPorts(doc) {
  return Object.entries(doc.services ?? {}).flatMap(([name, service]) =>
    (service.ports ?? []).map((port) => {
      const parts = String(port).split(':');
      const host = parts.length === 3 ? `${parts[0]}:${parts[1]}` : `0.0.0.0:${parts[0]}`;
      return { name, host };
    }),
  );
}

for (const file of process.argv.slice(2)) {
  const before = problems.length;
  const doc = load(file, process.env);
  const owners = new Map();
  for (const { name, host } of publishedPorts(doc)) {
    const other = owners.get(host);
    if (other !== undefined) problems.push(`${file}: ${name} and ${other} both publish ${host}`);
    owners.set(host, name);
  }
  const services = Object.keys(doc.services ?? {}).length;
  if (problems.length === before) {
    console.log(`ok    ${file}: ${services} services, no resource conflict, host ports distinct`);
  }
}
for (const problem of problems) console.log(`FAIL  ${problem}`);
process.exitCode = problems.length === 0 ? 0 : 1;
