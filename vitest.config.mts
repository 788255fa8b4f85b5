import { defineConfig } from 'vitest/config';

// Unit (core, node) and webview tests. E2E and extension-host suites run through their own runners.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/webview/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 20_000,
    pool: 'forks',
  },
});
