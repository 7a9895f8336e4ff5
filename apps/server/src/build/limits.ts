/** Caps on what a user may submit and on what one build may use. All overridable by env. */
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export interface BuildLimits {
  maxFiles: number;
  maxTotalBytes: number;
  wallTimeMs: number;
  memoryBytes: number;
  outputBytes: number;
  wasmBytes: number;
}

export function buildLimits(): BuildLimits {
  return {
    maxFiles: num('PLAYGROUND_MAX_FILES', 32),
    maxTotalBytes: num('PLAYGROUND_MAX_SOURCE_BYTES', 256 * 1024),
    wallTimeMs: num('PLAYGROUND_BUILD_TIMEOUT_MS', 60_000),
    memoryBytes: num('PLAYGROUND_BUILD_MEMORY_MB', 2048) * 1024 * 1024,
    outputBytes: num('PLAYGROUND_BUILD_OUTPUT_BYTES', 256 * 1024),
    wasmBytes: num('PLAYGROUND_MAX_WASM_MB', 64) * 1024 * 1024,
  };
}
