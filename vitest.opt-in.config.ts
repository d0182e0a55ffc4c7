import { defineConfig } from 'vitest/config';

// Tests that need tools too heavy for every CI run (npm run test:artillery installs Artillery first).
export default defineConfig({
  test: {
    include: ['test/opt-in/**/*.test.ts'],
    globalSetup: ['test/support/synthesize-once.ts'],
    environment: 'node',
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    },
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
