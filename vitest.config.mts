import { defineConfig } from 'vitest/config';

// Unit (core, node) and webview tests. E2E and extension-host suites run through their own runners.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/webview/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 20_000,
    pool: 'forks',
    // The JSON report feeds the suite's closing count (scripts/test-summary.mjs).
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
