// proxy_get_shared_data / proxy_set_shared_data (CPPH exports.cc get_shared_data / set_shared_data,
// shared_data.cc): one store for all worker VMs of the plugin, scoped by vm_id.
import { WasmResult } from '../abi/enums.js';
import type { HostEnv } from './host.js';

export function sharedDataImports(h: HostEnv) {
  const mem = h.mem;
  return {
    proxy_get_shared_data(kp: number, kl: number, rvp: number, rvl: number, casPtr: number): number {
      const e = h.sharedData.get(h.vmId, mem.readString(kp, kl));
      if (!e) return WasmResult.NotFound;
      mem.returnBytes(e.value, rvp, rvl);
      mem.writeU32(casPtr, e.cas);
      return WasmResult.Ok;
    },
    proxy_set_shared_data(kp: number, kl: number, vp: number, vl: number, cas: number): number {
      const ok = h.sharedData.set(h.vmId, mem.readString(kp, kl), mem.read(vp, vl), cas >>> 0);
      return ok ? WasmResult.Ok : WasmResult.CasMismatch;
    },
  };
}
