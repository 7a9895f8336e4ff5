// Worker-thread entry of IsolatedPluginVm: runs one PluginVm and proxies its I/O to the parent.
// Spawned idle (the host code is loaded by the time `ready` is posted); the VM starts on the first
// `start` message. A worker spawned with workerData (older parents) starts at once.
import { parentPort, workerData } from 'node:worker_threads';
import { registerModuleCap } from './compile.js';
import { PluginVm } from './vm.js';
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol.js';
import type { HttpCallRequest, HttpRequest, HttpResponse, StreamIo } from './types.js';

const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

let nextCall = 1;
const calls = new Map<number, { resolve: (r: HttpResponse) => void; reject: (e: Error) => void }>();

function rpc(kind: 'upstream' | 'httpCall', streamId: number | null, arg: HttpRequest | HttpCallRequest): Promise<HttpResponse> {
  const callId = nextCall++;
  return new Promise((resolve, reject) => {
    calls.set(callId, { resolve, reject });
    post({ type: 'io', callId, streamId, kind, arg } as FromWorker);
  });
}

let vm: PluginVm | undefined;
let startedOnce = false;

async function start(data: WorkerData) {
  if (startedOnce) return post({ type: 'startFailed', error: 'this worker already runs a VM' });
  startedOnce = true;
  const hb = new Int32Array(data.heartbeat);
  try {
    if (data.wasm instanceof WebAssembly.Module && data.moduleCapMiB !== undefined) registerModuleCap(data.wasm, data.moduleCapMiB);
    const started = await PluginVm.start(
      data.wasm,
      {
        ...data.options,
        ...(data.wantLogs ? { onLog: (entry) => post({ type: 'log', entry }) } : {}),
        ...(data.hasVmIo ? { io: { httpCall: (c: HttpCallRequest) => rpc('httpCall', null, c) } } : {}),
      },
      {
        enter: () => {
          Atomics.add(hb, 1, 1);
          Atomics.store(hb, 0, 1);
        },
        exit: () => Atomics.store(hb, 0, 0),
      },
    );
    vm = started.vm;
    const { vm: _vm, ...result } = started;
    post({ type: 'started', result });
  } catch (e) {
    post({ type: 'startFailed', error: e instanceof Error ? e.message : String(e) });
  }
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'start':
      void start(m.data);
      break;
    case 'handle': {
      const io: StreamIo = {
        upstream: (r) => rpc('upstream', m.id, r),
        httpCall: (c) => rpc('httpCall', m.id, c),
      };
      void vm!.handle(m.req, io).then((record) => post({ type: 'handled', id: m.id, record }));
      break;
    }
    case 'ioResult': {
      const c = calls.get(m.callId);
      calls.delete(m.callId);
      if (!c) break;
      if (m.ok) c.resolve(m.value);
      else c.reject(new Error(m.error));
      break;
    }
    case 'query':
      post({ type: 'reply', id: m.id, value: m.what === 'metrics' ? (vm?.metrics() ?? []) : (vm?.memoryBytes() ?? 0) });
      break;
    case 'advance':
      try {
        if (!vm) throw new Error('the plugin VM is not running');
        post({ type: 'advanced', id: m.id, result: vm.advanceTime(m.ms) });
      } catch (e) {
        post({ type: 'advanced', id: m.id, error: e instanceof Error ? e.message : String(e) });
      }
      break;
    case 'close':
      vm?.close();
      post({ type: 'closed' });
      break;
  }
});

if ((workerData as WorkerData | undefined)?.wasm) void start(workerData as WorkerData);
else post({ type: 'ready' });
