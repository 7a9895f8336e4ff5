// The host functions a plugin imports from `env` (CPPH exports.cc: one function per host call,
// grouped here by area), plus a stub returning Unimplemented for any other `env.*` import.
import { bufferImports } from './buffers.js';
import { foreignImports } from './foreign.js';
import { guard, type ImportFn } from './guard.js';
import { headerImports } from './headers.js';
import type { HostEnv } from './host.js';
import { httpCallImports } from './http-call.js';
import { logImports } from './log.js';
import { metricImports } from './metrics.js';
import { propertyImports } from './properties.js';
import { redisImports } from './redis.js';
import { sharedDataImports } from './shared-data.js';
import { sharedQueueImports } from './shared-queue.js';
import { streamControlImports } from './stream-control.js';
import { stubImports, unknownImport } from './stubs.js';
import { timerImports } from './timers.js';

export type { HostEnv } from './host.js';

export function buildEnvImports(h: HostEnv, module: WebAssembly.Module): Record<string, ImportFn> {
  const all: Record<string, ImportFn> = {
    ...logImports(h),
    ...headerImports(h),
    ...bufferImports(h),
    ...propertyImports(h),
    ...streamControlImports(h),
    ...httpCallImports(h),
    ...redisImports(h),
    ...sharedDataImports(h),
    ...sharedQueueImports(h),
    ...metricImports(h),
    ...foreignImports(h),
    ...timerImports(h),
    ...stubImports(h),
  };
  const env: Record<string, ImportFn> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== 'env' || imp.kind !== 'function') continue;
    const fn = all[imp.name] ?? unknownImport(h, imp.name);
    env[imp.name] = guard(h, imp.name, fn);
  }
  return env;
}
