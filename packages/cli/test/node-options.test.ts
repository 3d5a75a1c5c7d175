// The V8 heap limits the services ship with live in packages/cli/node-options; the launcher
// and the bench read that file, the Dockerfile repeats it (ENV cannot read files): keep equal.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const flags = readFileSync(join(root, 'packages', 'cli', 'node-options'), 'utf8').trim();

describe('shipped node options', () => {
  it('are V8 heap limits', () => {
    expect(flags).toBe('--max-semi-space-size=2 --max-old-space-size=128');
  });

  it('are the Dockerfile NODE_OPTIONS and the launcher reads the file', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`NODE_OPTIONS="${flags}"`);
    expect(dockerfile).toContain('MALLOC_ARENA_MAX=2');
    expect(readFileSync(join(root, 'cryptoutil'), 'utf8')).toContain(
      'NODE_OPTIONS="$(cat "$root/packages/cli/node-options") ${NODE_OPTIONS:-}"',
    );
  });
});
