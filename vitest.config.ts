// Root vitest configuration: resolves workspace packages to their TypeScript sources
// (the `@cryptoutil/source` export condition) and reports coverage of packages and services.
import { defineConfig } from 'vitest/config';
import { projects } from './vitest.workspace.js';

const conditions = ['@cryptoutil/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@cryptoutil/source'] } },
  test: {
    projects,
    pool: 'forks',
    testTimeout: 20_000,
    coverage: {
      provider: 'v8',
      // Globs are matched relative to each project's root (packages/<name>), hence `**/src`.
      include: ['**/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/main.ts', '**/index.ts', '**/*.d.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: { lines: 95 },
    },
  },
});
