// proxy_log: plugin log lines, filtered by the VM's level like Envoy's wasm log component.
import { LOG_LEVELS, WasmResult } from '../abi/enums.js';
import type { HostEnv } from './host.js';

/** Longest log line kept whole. */
export const MAX_LOG_LINE = 16 * 1024;

export function logImports(h: HostEnv) {
  return {
    proxy_log(level: number, ptr: number, len: number): number {
      const lvl = LOG_LEVELS[level];
      if (!lvl) return WasmResult.BadArgument;
      if (level < h.logLevelNum) return WasmResult.Ok;
      // A plugin can write megabytes in one call: read only what is kept.
      const text = len > MAX_LOG_LINE ? `${h.mem.readString(ptr, MAX_LOG_LINE)}… [${len - MAX_LOG_LINE} more bytes dropped]` : h.mem.readString(ptr, len);
      h.pluginLog(lvl, text);
      return WasmResult.Ok;
    },
  };
}
