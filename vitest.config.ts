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
      include: ['packages/*/src/**/*.ts', 'services/*/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/main.ts', '**/index.ts', '**/*.d.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: { 'packages/**': { lines: 95 } },
    },
  },
});
