import { defineConfig } from 'vitest/config';

/**
 * The AWS integration lane (`npm run test:aws`, run by .ci/run after `npm test`): the contract suites and the AWS
 * paths against moto_server, which the lane starts and stops itself on loopback (aws/motoServer.ts).
 */
export default defineConfig({
  test: {
    include: ['test/aws/**/*.test.ts'],
    globalSetup: ['test/aws/motoServer.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
