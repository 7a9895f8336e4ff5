import { defineConfig } from 'vitest/config';

// Tests compile real plugins with the real Go toolchain: give them time, and run files one at a time
// so that concurrent builds do not fight over the machine's two cores.
export default defineConfig({
  test: { testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false },
});
