import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Several suites spawn servers and child processes; two workers match the two-core machines CI runs on.
    maxWorkers: 2,
  },
});
