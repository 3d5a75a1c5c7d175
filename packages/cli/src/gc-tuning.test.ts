import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GC_FLAGS } from './gc-tuning.js';

const module = pathToFileURL(join(import.meta.dirname, 'gc-tuning.ts')).href;

/**
 * The background share of every scavenge (`--trace-gc-nvp`) in a Node process that allocates
 * enough for a few hundred scavenges, after calling `tuneGarbageCollector` when `tune` is set.
 */
function scavengeHelpers(tune: boolean): Promise<number[]> {
  const script = [
    `import { tuneGarbageCollector } from ${JSON.stringify(module)};`,
    tune ? 'tuneGarbageCollector();' : '',
    'let keep = [];',
    'for (let i = 0; i < 2e6; i++) {',
    "  const o = { i, s: 'x' + i };",
    '  if (i % 20 === 0) keep.push(o);',
    '  if (keep.length > 20000) keep = [];',
    '}',
  ].join('\n');
  const args = ['--max-semi-space-size=1', '--trace-gc-nvp', '--input-type=module', '-e', script];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error) {
        reject(new Error('the probe process failed', { cause: error }));
        return;
      }
      const helpers = [...stdout.matchAll(/background\.scavenge\.parallel=([0-9.]+)/g)];
      resolve(helpers.map((m) => Number(m[1])));
    });
  });
}

describe('tuneGarbageCollector', () => {
  it('names V8 flags that NODE_OPTIONS would refuse', () => {
    expect(GC_FLAGS).toEqual(['--no-parallel-scavenge']);
  });

  it('makes scavenges run without helper threads', async () => {
    const [untuned, tuned] = await Promise.all([scavengeHelpers(false), scavengeHelpers(true)]);
    // Untuned, V8's helpers take part in some of the many scavenges: the probe sees them.
    expect(untuned.length).toBeGreaterThan(50);
    expect(untuned.some((ms) => ms > 0)).toBe(true);
    expect(tuned.length).toBeGreaterThan(50);
    expect(tuned.every((ms) => ms === 0)).toBe(true);
  });
});
