import { defineConfig } from 'vitest/config';

// Shared by both projects: no SDK support-window banner, dummy credentials for dynalite, quiet handlers.
const env = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  // Handlers log JSON lines and EMF per request; tests assert on responses, not on stdout.
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'infra/**/*.test.ts'],
          environment: 'node',
          env,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          // Opt-in tests need heavy tools (npm run test:artillery): vitest.opt-in.config.ts runs them.
          exclude: ['test/opt-in/**'],
          globalSetup: ['test/support/synthesize-once.ts'],
          environment: 'node',
          env,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
