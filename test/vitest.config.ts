import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/aws/ is the moto_server lane (vitest.aws.config.ts, `npm run test:aws`).
    exclude: ['test/bench/**', 'test/aws/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Several suites spawn servers and child processes; two workers match the two-core machines CI runs on.
    maxWorkers: 2,
    // The machines run Node 20; the AWS SDK says on every client that releases after January 2027 will need Node 22
    // (README, "Node version"). Said once there, not six times per test run; the pinned SDK runs on 20.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
