// Worker-thread entry of IsolatedPlugin: runs one GatewayPlugin (all its worker VMs) and carries its
// streams' I/O to the parent as messages. Spawned idle (the host code is loaded by the time `ready`
// is posted); the plugin starts on the first `start` message.
import { parentPort } from 'node:worker_threads';
import { registerModuleCap } from './compile.js';
import { EventQueue } from './io.js';
import { GatewayPlugin } from './plugin.js';
import type { DownstreamEvent, FromWorker, ToWorker, WorkerData } from './worker-protocol.js';
import type { HttpCallRequest, HttpResponse, ResponseEvent, StreamIo } from './types.js';

const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

let nextCall = 1;
const calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextUpstream = 1;
const upstreams = new Map<number, EventQueue<ResponseEvent>>();

function rpc<T>(message: (callId: number) => FromWorker): Promise<T> {
  const callId = nextCall++;
  return new Promise<T>((resolve, reject) => {
    calls.set(callId, { resolve: resolve as (v: unknown) => void, reject });
    post(message(callId));
  });
}

const httpCall = (streamId: number | null) => (arg: HttpCallRequest) => rpc<HttpResponse>((callId) => ({ type: 'httpCall', callId, streamId, arg }));

let plugin: GatewayPlugin | undefined;
let startedOnce = false;

async function start(data: WorkerData) {
  if (startedOnce) return post({ type: 'startFailed', error: 'this worker already runs a plugin' });
  startedOnce = true;
  const hb = new Int32Array(data.heartbeat);
  try {
    if (data.wasm instanceof WebAssembly.Module && data.moduleCapMiB !== undefined) registerModuleCap(data.wasm, data.moduleCapMiB);
    const started = await GatewayPlugin.start(
      data.wasm,
      {
        ...data.options,
        ...(data.wantLogs ? { onLog: (entry) => post({ type: 'log', entry }) } : {}),
        ...(data.hasVmIo ? { io: { httpCall: httpCall(null) } } : {}),
      },
      {
        enter: () => {
          Atomics.add(hb, 1, 1);
          Atomics.store(hb, 0, 1);
        },
        exit: () => Atomics.store(hb, 0, 0),
      },
    );
    plugin = started.vm;
    const { vm: _vm, ...result } = started;
    post({ type: 'started', result });
  } catch (e) {
    post({ type: 'startFailed', error: e instanceof Error ? e.message : String(e) });
  }
}

function streamIo(m: Extract<ToWorker, { type: 'handle' }>): StreamIo {
  const down = (ev: DownstreamEvent) => post({ type: 'downstream', streamId: m.id, ev });
  return {
    upstream(head) {
      const upId = nextUpstream++;
      const events = new EventQueue<ResponseEvent>();
      upstreams.set(upId, events);
      post({ type: 'upstreamOpen', streamId: m.id, upId, head });
      return {
        write: (data) => post({ type: 'upstreamWrite', upId, data }),
        end: (trailers) => post({ type: 'upstreamEnd', upId, ...(trailers ? { trailers } : {}) }),
        reset: (reason) => {
          upstreams.delete(upId);
          post({ type: 'upstreamReset', upId, reason });
        },
        next: () => events.next(),
      };
    },
    httpCall: httpCall(m.id),
    ...(m.streamedBody ? { readRequestBody: () => rpc<{ data?: Uint8Array; end: boolean }>((callId) => ({ type: 'readBody', callId, streamId: m.id })) } : {}),
    ...(m.downstream
      ? {
          downstream: {
            headers: (status, headers) => down({ type: 'headers', status, headers }),
            data: (data) => down({ type: 'data', data }),
            end: (trailers) => down({ type: 'end', ...(trailers ? { trailers } : {}) }),
            reset: (reason) => down({ type: 'reset', reason }),
          },
        }
      : {}),
    ...(m.upstreamAddress ? { upstreamAddress: m.upstreamAddress } : {}),
  };
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'start':
      void start(m.data);
      break;
    case 'handle':
      void plugin!.handle(m.req, streamIo(m)).then((record) => post({ type: 'handled', id: m.id, record }));
      break;
    case 'ioResult': {
      const c = calls.get(m.callId);
      calls.delete(m.callId);
      if (!c) break;
      if (m.ok) c.resolve(m.value);
      else c.reject(Object.assign(new Error(m.error), m.connect ? { connect: true } : {}));
      break;
    }
    case 'upstreamEvent': {
      const q = upstreams.get(m.upId);
      q?.push(m.ev);
      if (m.ev.type === 'reset' || m.ev.type === 'trailers' || ((m.ev.type === 'headers' || m.ev.type === 'data') && m.ev.endOfStream)) upstreams.delete(m.upId);
      break;
    }
    case 'query':
      post({ type: 'reply', id: m.id, value: m.what === 'metrics' ? (plugin?.metrics() ?? []) : (plugin?.memoryBytes() ?? 0) });
      break;
    case 'advance':
      (plugin ? plugin.advanceTime(m.ms) : Promise.reject(new Error('the plugin is not running'))).then(
        (result) => post({ type: 'advanced', id: m.id, result }),
        (e: Error) => post({ type: 'advanced', id: m.id, error: e.message }),
      );
      break;
    case 'close':
      plugin?.close();
      post({ type: 'closed' });
      break;
  }
});

post({ type: 'ready' });
