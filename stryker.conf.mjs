// Mutation testing for one package at a time: `pnpm test:mutation <package>` (see
// scripts/mutation.mjs) sets STRYKER_PACKAGE. Incremental: results are kept per package under
// reports/stryker/, so a second run only re-tests mutants in changed code.
const pkg = process.env.STRYKER_PACKAGE ?? 'config';
const group = process.env.STRYKER_GROUP ?? 'packages';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.config.ts', related: true },
  mutate: [`${group}/${pkg}/src/**/*.ts`, '!**/*.test.ts', '!**/index.ts', '!**/main.ts'],
  ignorePatterns: ['.toolchain', 'coverage', 'reports', '**/dist'],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: `reports/stryker/${group}-${pkg}.incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${group}-${pkg}.html` },
  jsonReporter: { fileName: `reports/mutation/${group}-${pkg}.json` },
  thresholds: { high: 90, low: 80, break: null },
  concurrency: 2,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
