// Summarizes `node --cpu-prof` output: self time per function (name, file, line) across the
// .cpuprofile files of a directory, as a short markdown list of the top costs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function selfTimes(profile, totals) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const { callFrame } = byId.get(profile.samples[i]);
    const file = callFrame.url.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '');
    const key = `${callFrame.functionName || '(anonymous)'} ${file}:${callFrame.lineNumber + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + (deltas[i] ?? 0));
  }
}

export function summarizeProfiles(dir, top = 25) {
  const lines = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const totals = new Map();
    selfTimes(JSON.parse(readFileSync(join(dir, name), 'utf8')), totals);
    const all = [...totals.values()].reduce((a, b) => a + b, 0);
    lines.push(`${name}: top self time of ${(all / 1e6).toFixed(1)} s sampled`);
    for (const [key, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      lines.push(`- ${((100 * micros) / all).toFixed(1)}% ${key}`);
    }
  }
  return lines.join('\n');
}
