// Tick period (applies to the root context), effective context switching and proxy_done.
import { WasmResult } from '../abi/enums.js';
import type { HostEnv } from './host.js';

export function timerImports(h: HostEnv) {
  return {
    proxy_set_tick_period_milliseconds(ms: number): number {
      h.setTickPeriod(ms >>> 0);
      return WasmResult.Ok;
    },
    proxy_set_effective_context(id: number): number {
      return h.setEffectiveContext(id >>> 0) ? WasmResult.Ok : WasmResult.BadArgument;
    },
    proxy_done(): number {
      // Only meaningful for a root context delaying its shutdown; we tear down synchronously.
      return WasmResult.Ok;
    },
  };
}
