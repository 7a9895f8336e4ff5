// Local replies, continue / close stream and Higress' inject_encoded_data (CPPH exports.cc
// send_local_response, continue_stream, close_stream; ENVOY context.cc sendLocalResponse,
// continueStream, closeStream). The stream records them; the filter chain applies them after the
// current VM call returns (Envoy's after-VM-call actions).
import { StreamType, WasmResult } from '../abi/enums.js';
import { deserializePairs } from '../memory.js';
import type { HostEnv } from './host.js';

export function streamControlImports(h: HostEnv) {
  const mem = h.mem;
  return {
    proxy_send_local_response(status: number, dp: number, dl: number, bp: number, bl: number, hp: number, hl: number, grpcStatus: number): number {
      const s = h.stream();
      if (!s) return WasmResult.NotFound;
      let headers;
      try {
        headers = deserializePairs(mem.read(hp, hl));
      } catch {
        return WasmResult.SerializationFailure;
      }
      // CPPH send_local_response: the callback's own result becomes a stop, whatever the plugin returns.
      s.stopNextIteration = true;
      if (s.localReplyHold) {
        // E127 Context::sendLocalResponse: local_reply_hold_ refuses a second reply.
        h.note({
          code: 'second_local_reply',
          message: 'a second SendHttpResponse on this stream: Envoy refuses it (BadArgument) but still stops the callback it was called from, so that phase never continues',
          fix: 'send one local reply per request; return after calling SendHttpResponse',
        });
        return WasmResult.BadArgument;
      }
      s.requestLocalReply({
        status: status >>> 0,
        // Envoy replaces whitespace in the details with underscores (StringUtil::replaceAllEmptySpace).
        details: mem.readString(dp, dl).replace(/\s/g, '_'),
        body: mem.read(bp, bl),
        headers: headers.map(([k, v]) => [k.toLowerCase(), v] as [string, string]),
        grpcStatus: grpcStatus >= 0 && grpcStatus <= 16 ? grpcStatus : undefined,
      });
      return WasmResult.Ok;
    },
    proxy_continue_stream(type: number): number {
      const s = h.stream();
      if (!s) return WasmResult.NotFound;
      if (type === StreamType.Upstream) return WasmResult.Unimplemented;
      if (type !== StreamType.Request && type !== StreamType.Response) return WasmResult.BadArgument;
      s.requestContinue(type === StreamType.Request ? 'request' : 'response');
      return WasmResult.Ok;
    },
    proxy_close_stream(type: number): number {
      const s = h.stream();
      if (!s) return WasmResult.NotFound;
      if (type !== StreamType.Request && type !== StreamType.Response) return WasmResult.BadArgument;
      s.requestClose(type === StreamType.Request ? 'request' : 'response');
      return WasmResult.Ok;
    },
    proxy_inject_encoded_data_to_filter_chain(bp: number, bl: number, endStream: number): number {
      const s = h.stream();
      if (!s) return WasmResult.NotFound;
      s.injectEncoded(mem.read(bp, bl), endStream !== 0);
      return WasmResult.Ok;
    },
  };
}
