import { numberSetting as num } from '../settings.js';

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
  /** Builds that may wait for a slot: in all, and per client (the queue serves clients in turn). */
  queueWaiting: number;
  queuePerClient: number;
}

export function buildLimits(): BuildLimits {
  return {
    maxFiles: num('PLAYGROUND_MAX_FILES'),
    maxTotalBytes: num('PLAYGROUND_MAX_SOURCE_BYTES'),
    maxDepth: num('PLAYGROUND_MAX_DEPTH'),
    maxDataFileBytes: num('PLAYGROUND_MAX_DATA_FILE_BYTES'),
    wallTimeMs: num('PLAYGROUND_BUILD_TIMEOUT_MS'),
    memoryBytes: num('PLAYGROUND_BUILD_MEMORY_MB') * 1024 * 1024,
    outputBytes: num('PLAYGROUND_BUILD_OUTPUT_BYTES'),
    wasmBytes: num('PLAYGROUND_MAX_WASM_MB') * 1024 * 1024,
    resolveTimeMs: num('PLAYGROUND_RESOLVE_TIMEOUT_MS'),
    maxModules: num('PLAYGROUND_MAX_MODULES'),
    maxModuleBytes: num('PLAYGROUND_MAX_MODULE_MB') * 1024 * 1024,
    queueWaiting: num('PLAYGROUND_BUILD_QUEUE'),
    queuePerClient: num('PLAYGROUND_BUILD_QUEUE_PER_CLIENT'),
  };
}

/** What a user is told when a build or tool run hit a cap. */
export function capMessage(cap: 'time' | 'memory' | 'output' | 'aborted', l: Pick<BuildLimits, 'wallTimeMs' | 'memoryBytes' | 'outputBytes'>): string {
  return {
    time: `the build was stopped after ${l.wallTimeMs / 1000} s (the time limit)`,
    memory: `the build was stopped: it used more than ${Math.round(l.memoryBytes / 2 ** 20)} MiB of memory`,
    output: `the build was stopped: it printed more than ${Math.round(l.outputBytes / 2 ** 10)} KiB of output`,
    aborted: 'the build was stopped: a build someone asked for needed its slot',
  }[cap];
}
