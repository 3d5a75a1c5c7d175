// Summarizes `node --cpu-prof` output: self time per function and per package (node core,
// fastify, pino, @cryptoutil/*, ...) of each .cpuprofile in a directory, idle time left out,
// as short markdown lists of the top costs. Start-up (module loading) is a few % of a run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const IDLE = new Set(['(idle)', '(program)']);

function owner(url) {
  if (url === '') return 'native (TLS, crypto, syscalls)';
  if (url.startsWith('node:')) return 'node core';
  const workspace = /\/packages\/([^/]+)\/dist\//.exec(url);
  if (workspace !== null) return `@cryptoutil/${workspace[1]}`;
  const dependency = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return dependency?.[1] ?? url;
}

function tally(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map();
  const packages = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const { callFrame } = byId.get(id);
    const micros = profile.timeDeltas[i] ?? 0;
    if (IDLE.has(callFrame.functionName)) return;
    const file = callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/packages\//, '');
    const key = `${callFrame.functionName || '(anonymous)'} ${file}:${callFrame.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + micros);
    const pkg = callFrame.functionName.startsWith('(')
      ? callFrame.functionName
      : owner(callFrame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
    total += micros;
  });
  return { functions, packages, total };
}

function top(map, total, count) {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, micros]) => `- ${((100 * micros) / total).toFixed(1)}% ${key}`);
}

export function summarizeProfiles(dir, count = 15) {
  const lines = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const { functions, packages, total } = tally(JSON.parse(readFileSync(join(dir, name), 'utf8')));
    lines.push(`${name}: ${(total / 1e6).toFixed(1)} s busy; by package:`);
    lines.push(...top(packages, total, 10), 'by function (self time):');
    lines.push(...top(functions, total, count), '');
  }
  return lines.join('\n');
}
