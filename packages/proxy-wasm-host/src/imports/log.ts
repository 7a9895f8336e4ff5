// proxy_log: plugin log lines, filtered by the VM's level like Envoy's wasm log component.
import { LOG_LEVELS, WasmResult } from '../abi/enums.js';
import type { ImportHost } from './host.js';

export function logImports(h: ImportHost) {
  return {
    proxy_log(level: number, ptr: number, len: number): number {
      const lvl = LOG_LEVELS[level];
      if (!lvl) return WasmResult.BadArgument;
      if (level < h.logLevelNum) return WasmResult.Ok;
      h.pluginLog(lvl, h.mem.readString(ptr, len));
      return WasmResult.Ok;
    },
  };
}
