// Shared queues (CPPH exports.cc register/resolve/enqueue/dequeue_shared_queue, shared_queue.cc).
import { WasmResult } from '../abi/enums.js';
import type { HostEnv } from './host.js';

export function sharedQueueImports(h: HostEnv) {
  const mem = h.mem;
  return {
    proxy_register_shared_queue(np: number, nl: number, idPtr: number): number {
      mem.writeU32(idPtr, h.registerQueue(mem.readString(np, nl)));
      return WasmResult.Ok;
    },
    proxy_resolve_shared_queue(vp: number, vl: number, np: number, nl: number, idPtr: number): number {
      // CPPH ContextBase::resolveSharedQueue: an empty vm_id means the caller's own.
      const vmId = mem.readString(vp, vl) || h.vmId;
      const id = h.queues.resolve(vmId, mem.readString(np, nl));
      if (id === undefined) return WasmResult.NotFound;
      mem.writeU32(idPtr, id);
      return WasmResult.Ok;
    },
    proxy_enqueue_shared_queue(id: number, dp: number, dl: number): number {
      return h.queues.enqueue(id >>> 0, mem.read(dp, dl)) ? WasmResult.Ok : WasmResult.NotFound;
    },
    proxy_dequeue_shared_queue(id: number, rvp: number, rvl: number): number {
      const v = h.queues.dequeue(id >>> 0);
      if (v === undefined) return WasmResult.NotFound;
      if (v === null) return WasmResult.Empty;
      mem.returnBytes(v, rvp, rvl);
      return WasmResult.Ok;
    },
  };
}
