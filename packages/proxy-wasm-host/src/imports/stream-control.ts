// Local replies, continue / close stream and Higress' inject_encoded_data. The stream records them
// and applies them after the current VM call returns (Envoy's after-VM-call actions).
import { StreamType, WasmResult } from '../abi/enums.js';
import { deserializePairs } from '../memory.js';
import type { ImportHost } from './host.js';

export function streamControlImports(h: ImportHost) {
  const mem = h.mem;
  return {
    proxy_send_local_response(
      status: number,
      dp: number,
      dl: number,
      bp: number,
      bl: number,
      hp: number,
      hl: number,
      grpcStatus: number,
    ): number {
      const s = h.stream();
      if (!s) return WasmResult.NotFound;
      let headers;
      try {
        headers = deserializePairs(mem.read(hp, hl));
      } catch {
        return WasmResult.SerializationFailure;
      }
      s.requestLocalReply({
        status: status >>> 0,
        details: mem.readString(dp, dl),
        body: mem.read(bp, bl),
        headers: headers.map(([k, v]) => [k.toLowerCase(), v] as [string, string]),
        grpcStatus: grpcStatus >= 0 && grpcStatus <= 16 ? grpcStatus : undefined,
      });
      return WasmResult.Ok;
    },
    proxy_continue_stream(type: number): number {
      const s = h.stream();
      if (!s) return WasmResult.NotFound;
      if (type !== StreamType.Request && type !== StreamType.Response) return WasmResult.BadArgument;
      s.requestContinue(type === StreamType.Request ? 'request' : 'response');
      return WasmResult.Ok;
    },
    proxy_close_stream(type: number): number {
      const s = h.stream();
      if (!s) return WasmResult.NotFound;
      if (type !== StreamType.Request && type !== StreamType.Response) return WasmResult.BadArgument;
      s.requestClose();
      return WasmResult.Ok;
    },
    proxy_inject_encoded_data_to_filter_chain(bp: number, bl: number, endStream: number): number {
      const s = h.stream();
      if (!s) return WasmResult.NotFound;
      s.injectData(mem.read(bp, bl), endStream !== 0);
      return WasmResult.Ok;
    },
  };
}
