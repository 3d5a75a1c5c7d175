// The list of vitest projects: every package and service gets a `unit` project (tests beside
// the code, src/**/*.test.ts) and an `integration` project (test/**/*.test.ts); e2e/ is one
// project of its own. The root vitest.config.ts imports this list (vitest ≥4 no longer reads
// this file by itself).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const root = import.meta.dirname;

function workspaceDirs(group: string): string[] {
  const dir = join(root, group);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'package.json')))
    .map((d) => `${group}/${d.name}`);
}

function projectsFor(dir: string): TestProjectInlineConfiguration[] {
  const name = dir.split('/')[1] ?? dir;
  return [
    {
      extends: true,
      test: { name: `${name}:unit`, root: dir, include: ['src/**/*.test.ts'] },
    },
    {
      extends: true,
      test: {
        name: `${name}:integration`,
        root: dir,
        include: ['test/**/*.test.ts'],
        testTimeout: 60_000,
        hookTimeout: 60_000,
      },
    },
  ];
}

export const projects: TestProjectInlineConfiguration[] = [
  ...[...workspaceDirs('packages'), ...workspaceDirs('services')].flatMap(projectsFor),
  ...(existsSync(join(root, 'e2e', 'package.json'))
    ? [
        {
          extends: true,
          test: { name: 'e2e', root: 'e2e', include: ['**/*.test.ts'], testTimeout: 120_000 },
        },
      ]
    : []),
];

export default projects;
