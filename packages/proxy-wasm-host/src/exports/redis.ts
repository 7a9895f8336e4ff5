// proxy_redis_init / proxy_redis_call (Higress' CPPH exports.cc redis_init / redis_call): read the
// arguments, act on the root context, write the call's token. See src/redis-calls.ts.
import { WasmResult } from '../abi/enums.js';
import type { HostEnv } from './host.js';

export function redisImports(h: HostEnv) {
  const mem = h.mem;
  return {
    proxy_redis_init(sp: number, sl: number, up: number, ul: number, pp: number, pl: number, timeoutMs: number): number {
      return h.redisInit(mem.readString(sp, sl), mem.readString(up, ul), mem.readString(pp, pl), timeoutMs >>> 0);
    },
    proxy_redis_call(sp: number, sl: number, qp: number, ql: number, tokenPtr: number): number {
      const { result, token } = h.redisCall(mem.readString(sp, sl), mem.read(qp, ql));
      if (result === WasmResult.Ok) mem.writeU32(tokenPtr, token);
      return result;
    },
  };
}
