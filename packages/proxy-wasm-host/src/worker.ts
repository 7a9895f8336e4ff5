// Worker-thread entry of IsolatedPlugin: runs one GatewayPlugin (all its worker VMs) and carries its
// streams' I/O to the parent as messages. Spawned idle (the host code is loaded by the time `ready`
// is posted); the plugin starts on the first `start` message.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { registerModuleCap } from './compile.js';
import { bufferedUpstream, EventQueue } from './io.js';
import { GatewayPlugin, handleWithoutPlugin } from './plugin.js';
import { MessageBatcher, type DownstreamEvent, type FromWorker, type ToWorker, type WorkerData } from './worker-protocol.js';
import type { HttpCallRequest, HttpResponse, LogEntry, ResponseEvent, ServedSummary, StreamIo, UpstreamIo, WorkerServeHost } from './types.js';

const port = parentPort!;
const batcher = new MessageBatcher<FromWorker>((messages) => port.postMessage(messages.length === 1 ? messages[0] : { type: 'batch', messages }));
const post = (m: FromWorker) => batcher.post(m);

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
/** Upstream requests and callouts served in this thread (WorkerData.io), else through the parent. */
let localIo: UpstreamIo | undefined;
/** The parent wants the live detail: log lines and whole records of served streams (else summaries). */
let watching = true;
/** The latest log lines written while nobody watched (the other VMs starting, ticks), sent when someone does. */
const unwatchedLogs: LogEntry[] = [];
const UNWATCHED_LOGS = 200;
function keepUnwatched(entry: LogEntry): void {
  if (unwatchedLogs.push(entry) > UNWATCHED_LOGS) unwatchedLogs.shift();
}
/** Summaries of unwatched streams, sent a few times a second rather than once per request. */
let summaries: ServedSummary[] = [];
const SUMMARY_FLUSH_MS = 100;

/**
 * A dropped VM's linear memory (several MiB) is freed only when V8 collects its instance, and an
 * idle thread may never collect: a full collection shortly after the last drop gives it back.
 */
const collect: (() => void) | undefined = (() => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
})();
let collectTimer: NodeJS.Timeout | undefined;
function collectSoon(): void {
  if (!collect) return;
  clearTimeout(collectTimer);
  collectTimer = setTimeout(collect, 250);
  collectTimer.unref();
}

async function start(data: WorkerData) {
  if (startedOnce) return post({ type: 'startFailed', error: 'this worker already runs a plugin' });
  startedOnce = true;
  const hb = new Int32Array(data.heartbeat);
  try {
    if (data.wasm instanceof WebAssembly.Module && data.moduleCapMiB !== undefined) registerModuleCap(data.wasm, data.moduleCapMiB);
    let serve: ((config: unknown, host: WorkerServeHost) => Promise<unknown>) | undefined;
    if (data.io) {
      const mod = (await import(data.io.module)) as {
        createStreamIo(config: unknown): UpstreamIo | Promise<UpstreamIo>;
        serve?(config: unknown, host: WorkerServeHost): Promise<unknown>;
      };
      localIo = await mod.createStreamIo(data.io.config);
      serve = mod.serve;
    }
    const vmCallout = localIo?.httpCall ?? (data.hasVmIo ? httpCall(null) : undefined);
    const started = await GatewayPlugin.start(
      data.wasm,
      {
        ...data.options,
        ...(data.wantLogs ? { onLog: (entry) => (watching ? post({ type: 'log', entry }) : keepUnwatched(entry)) } : {}),
        ...(vmCallout ? { io: { httpCall: vmCallout } } : {}),
      },
      {
        enter: () => {
          Atomics.add(hb, 1, 1);
          Atomics.store(hb, 0, 1);
        },
        exit: () => Atomics.store(hb, 0, 0),
        dropped: collectSoon,
      },
    );
    plugin = started.vm;
    const { vm: _vm, ...result } = started;
    // Clients the worker accepts itself (its own listener) run here; the parent hears the record after.
    if (serve && started.configured && localIo) {
      const io = localIo;
      result.served = await serve(data.io!.config, {
        handle: async (req, client) => {
          const record = await plugin!.handle(req, { ...io, ...client });
          const summary = { requestId: record.requestId, status: record.response.status, localReply: record.localReply, ...(record.error ? { error: record.error } : {}) };
          if (watching) post({ type: 'served', summary, record });
          else if (summaries.push(summary) === 1) {
            setTimeout(() => {
              post({ type: 'servedSummaries', summaries });
              summaries = [];
            }, SUMMARY_FLUSH_MS).unref();
          }
          return record;
        },
      });
    }
    post({ type: 'started', result });
  } catch (e) {
    post({ type: 'startFailed', error: e instanceof Error ? e.message : String(e) });
  }
}

function streamIo(m: Extract<ToWorker, { type: 'handle' }>): StreamIo {
  const down = (ev: DownstreamEvent) => post({ type: 'downstream', streamId: m.id, ev });
  const client = {
    ...(m.streamedBody ? { readRequestBody: () => rpc<{ data?: Uint8Array; end: boolean }>((callId) => ({ type: 'readBody', callId, streamId: m.id })) } : {}),
    ...(m.downstream
      ? {
          downstream: {
            headers: (status: number, headers: [string, string][]) => down({ type: 'headers', status, headers }),
            data: (data: Uint8Array) => down({ type: 'data', data }),
            end: (trailers?: [string, string][]) => down({ type: 'end', ...(trailers ? { trailers } : {}) }),
            reset: (reason: string) => down({ type: 'reset', reason }),
          },
        }
      : {}),
  };
  if (localIo) return { ...localIo, ...client };
  return {
    ...client,
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
    ...(m.upstreamAddress ? { upstreamAddress: m.upstreamAddress } : {}),
  };
}

port.on('message', function onMessage(m: ToWorker): void {
  switch (m.type) {
    case 'batch':
      for (const x of m.messages) onMessage(x);
      break;
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
    case 'watch':
      watching = m.on;
      // Someone watches again: the lines written meanwhile first (the server replays them to late subscribers).
      if (watching) for (const entry of unwatchedLogs.splice(0)) post({ type: 'log', entry });
      break;
    case 'close':
      plugin?.close();
      post({ type: 'closed' });
      break;
  }
});

/**
 * A fresh thread runs the filter chain's code cold: a few streams without a plugin while the worker
 * is idle make a session's first request as quick as the ones after it.
 */
async function warmUp(): Promise<void> {
  const upstream = bufferedUpstream(() => ({ status: 200, headers: [['content-length', '2']], body: new Uint8Array([111, 107]) }));
  for (let i = 0; i < 30; i++) await handleWithoutPlugin({ method: i % 2 ? 'POST' : 'GET', path: '/warm', authority: 'warm', headers: [], body: new Uint8Array(i % 2) }, { upstream });
}

// Modules a pool preloads (a start's WorkerIo module) and a warm-up, then ready for a start.
const preload = ((workerData as { preload?: string[] } | undefined)?.preload ?? []).map((url) => import(url));
void Promise.allSettled([...preload, warmUp()]).then(() => port.postMessage({ type: 'ready' } satisfies FromWorker));
