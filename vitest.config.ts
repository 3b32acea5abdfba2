import { defineConfig } from 'vitest/config';

// Projects: node (shared units, properties, store and relay integration), component (jsdom, real
// core on a temporary file), e2e (Debian's Chromium against browser mode). Property runs scale with SITREP_PROPERTY_RUNS (npm run soak).
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
      {
        extends: true,
        test: {
          name: 'component',
          environment: 'jsdom',
          include: ['tests/component/**/*.test.tsx'],
          setupFiles: ['tests/component/setup.ts'],
          // Sync component tests run a real core and relay; a loaded 2-core machine needs room.
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
