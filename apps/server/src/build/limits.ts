import { envNumber as num } from '../util/env.js';

/** Caps on what a user may submit and on what one build may use. All overridable by env. */
export interface BuildLimits {
  maxFiles: number;
  maxTotalBytes: number;
  maxDepth: number;
  maxDataFileBytes: number;
  wallTimeMs: number;
  memoryBytes: number;
  outputBytes: number;
  wasmBytes: number;
  /** The dependency step (user go.mod): time, how many modules, and how many bytes they may add. */
  resolveTimeMs: number;
  maxModules: number;
  maxModuleBytes: number;
}

export function buildLimits(): BuildLimits {
  return {
    maxFiles: num('PLAYGROUND_MAX_FILES', 256),
    maxTotalBytes: num('PLAYGROUND_MAX_SOURCE_BYTES', 2 * 1024 * 1024),
    maxDepth: num('PLAYGROUND_MAX_DEPTH', 8),
    maxDataFileBytes: num('PLAYGROUND_MAX_DATA_FILE_BYTES', 256 * 1024),
    wallTimeMs: num('PLAYGROUND_BUILD_TIMEOUT_MS', 60_000),
    memoryBytes: num('PLAYGROUND_BUILD_MEMORY_MB', 2048) * 1024 * 1024,
    outputBytes: num('PLAYGROUND_BUILD_OUTPUT_BYTES', 256 * 1024),
    wasmBytes: num('PLAYGROUND_MAX_WASM_MB', 64) * 1024 * 1024,
    resolveTimeMs: num('PLAYGROUND_RESOLVE_TIMEOUT_MS', 120_000),
    maxModules: num('PLAYGROUND_MAX_MODULES', 300),
    maxModuleBytes: num('PLAYGROUND_MAX_MODULE_MB', 300) * 1024 * 1024,
  };
}
