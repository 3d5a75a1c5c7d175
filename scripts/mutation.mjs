#!/usr/bin/env node
// Runs Stryker on one workspace package: `pnpm test:mutation <name>` (a package under
// packages/ or a service under services/), e.g. `pnpm test:mutation config`.
// `--break <score>` fails the run below that mutation score.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const args = process.argv.slice(2).filter((a) => a !== '--');
const breakAt = args.includes('--break') ? args[args.indexOf('--break') + 1] : undefined;
const name = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--break');
if (!name) {
  console.error(
    'usage: pnpm test:mutation <package> [--break <score>]   e.g. pnpm test:mutation config',
  );
  process.exit(2);
}
const group = ['packages', 'services'].find((g) => existsSync(`${g}/${name}/src`));
if (!group) {
  console.error(`no package or service named ${name} (looked in packages/ and services/)`);
  process.exit(2);
}
const extra = breakAt ? ['--thresholds.break', breakAt] : [];
const result = spawnSync('pnpm', ['exec', 'stryker', 'run', 'stryker.conf.mjs', ...extra], {
  stdio: 'inherit',
  env: { ...process.env, STRYKER_PACKAGE: name, STRYKER_GROUP: group },
});
process.exit(result.status ?? 1);
