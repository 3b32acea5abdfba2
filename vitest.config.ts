import { defineConfig } from 'vitest/config';

// Projects: node (shared units, properties, store and relay integration); jsdom components and
// Chromium e2e join when the renderer exists. Property runs scale with SITREP_PROPERTY_RUNS (npm run soak).
export default defineConfig({
  test: {
    globals: true,
    // .ci/run reads the JSON report to print its plain summary line.
    reporters: ['default', ['json', { outputFile: 'out/test-results.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/property/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
