// Foreign functions. wasm-go calls get_log_level before every log line (pkg/wrapper/log_wrapper.go).
import { WasmResult } from '../abi/enums.js';
import { u32le } from '../memory.js';
import type { HostEnv } from './host.js';

export function foreignImports(h: HostEnv) {
  const mem = h.mem;
  return {
    proxy_call_foreign_function(np: number, nl: number, _ap: number, _al: number, rvp: number, rvl: number): number {
      const name = mem.readString(np, nl);
      switch (name) {
        case 'get_log_level':
          mem.returnBytes(u32le(h.logLevelNum), rvp, rvl);
          return WasmResult.Ok;
        case 'set_global_max_requests_per_io_cycle':
          mem.returnBytes(new Uint8Array(0), rvp, rvl);
          return WasmResult.Ok;
        default:
          h.hostWarn(`foreign function "${name}" is not available in the playground`, `foreign:${name}`);
          return WasmResult.NotFound;
      }
    },
  };
}
