import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Test files share the Go build cache; building plugins in parallel on 2 cores is slower.
    fileParallelism: false,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
