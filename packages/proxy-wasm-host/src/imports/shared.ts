// Shared data with compare-and-swap, and shared queues (proxy-wasm-cpp-host shared_data.cc / shared_queue.cc).
import { WasmResult } from '../abi/enums.js';
import type { ImportHost } from './host.js';

export function sharedImports(h: ImportHost) {
  const mem = h.mem;
  return {
    proxy_get_shared_data(kp: number, kl: number, rvp: number, rvl: number, casPtr: number): number {
      const e = h.shared.get(h.vmId, mem.readString(kp, kl));
      if (!e) return WasmResult.NotFound;
      mem.returnBytes(e.value, rvp, rvl);
      mem.writeU32(casPtr, e.cas);
      return WasmResult.Ok;
    },
    proxy_set_shared_data(kp: number, kl: number, vp: number, vl: number, cas: number): number {
      const ok = h.shared.set(h.vmId, mem.readString(kp, kl), mem.read(vp, vl), cas >>> 0);
      return ok ? WasmResult.Ok : WasmResult.CasMismatch;
    },
    proxy_register_shared_queue(np: number, nl: number, idPtr: number): number {
      mem.writeU32(idPtr, h.registerQueue(mem.readString(np, nl)));
      return WasmResult.Ok;
    },
    proxy_resolve_shared_queue(vp: number, vl: number, np: number, nl: number, idPtr: number): number {
      const id = h.shared.resolveQueue(mem.readString(vp, vl), mem.readString(np, nl));
      if (id === undefined) return WasmResult.NotFound;
      mem.writeU32(idPtr, id);
      return WasmResult.Ok;
    },
    proxy_enqueue_shared_queue(id: number, dp: number, dl: number): number {
      return h.shared.enqueue(id >>> 0, mem.read(dp, dl)) ? WasmResult.Ok : WasmResult.NotFound;
    },
    proxy_dequeue_shared_queue(id: number, rvp: number, rvl: number): number {
      const v = h.shared.dequeue(id >>> 0);
      if (v === undefined) return WasmResult.NotFound;
      if (v === null) return WasmResult.Empty;
      mem.returnBytes(v, rvp, rvl);
      return WasmResult.Ok;
    },
  };
}
