// Test helpers: an upstream that echoes what it received, and text helpers.
import { bufferedUpstream, type Headers, type HttpCallRequest, type HttpRequest, type HttpResponse, type StreamIo } from '../../src/index.js';

export const enc = (s: string) => new TextEncoder().encode(s);
export const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b ?? new Uint8Array(0));
export const header = (h: Headers | undefined, name: string) => h?.find(([k]) => k === name)?.[1];

export interface EchoIo extends StreamIo {
  upstreamCalls: HttpRequest[];
  calloutCalls: HttpCallRequest[];
}

/** An upstream that answers 200 with a JSON echo (or `respond`'s answer) and records its calls. */
export function echoIo(respond?: (req: HttpRequest) => HttpResponse, callout?: (c: HttpCallRequest) => HttpResponse | Promise<HttpResponse>): EchoIo {
  const io: EchoIo = {
    upstreamCalls: [],
    calloutCalls: [],
    upstream: bufferedUpstream((req) => {
      io.upstreamCalls.push(req);
      if (respond) return respond(req);
      const body = enc(JSON.stringify({ method: req.method, path: req.path, headers: Object.fromEntries(req.headers), body: dec(req.body) }));
      return { status: 200, headers: [['content-type', 'application/json'], ['content-length', String(body.length)]], body };
    }),
    async httpCall(c) {
      io.calloutCalls.push(c);
      if (callout) return callout(c);
      return { status: 200, headers: [['x-token', 'tok-123']], body: enc('{"ok":true}') };
    },
  };
  return io;
}

export const get = (path = '/get', headers: Headers = []): HttpRequest => ({ method: 'GET', path, authority: 'example.com', headers });

/** One worker VM: for tests about a single VM's state, not about workers. */
export const ONE_WORKER = { profileOverrides: { workers: 1 } } as const;

/** An upstream that answers with `events` (response events), each after its delay: a streaming server. */
export function scriptedUpstream(
  events: ({ delayMs?: number } & import('../../src/index.js').ResponseEvent)[],
  seen: { head?: import('../../src/index.js').UpstreamRequestHead; body: Uint8Array[]; ended: boolean; reset?: string } = { body: [], ended: false },
): StreamIo['upstream'] & { seen: typeof seen } {
  const open = (head: import('../../src/index.js').UpstreamRequestHead) => {
    seen.head = head;
    let i = 0;
    return {
      write: (d: Uint8Array) => void seen.body.push(d),
      end: () => void (seen.ended = true),
      reset: (reason: string) => void (seen.reset = reason),
      next: async () => {
        const { delayMs, ...ev } = events[i++] ?? { type: 'reset', reason: 'script ended' };
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        return ev as import('../../src/index.js').ResponseEvent;
      },
    };
  };
  return Object.assign(open, { seen });
}

/** A sink that records what the client receives, in order. */
export function recordingSink() {
  const events: string[] = [];
  return {
    events,
    sink: {
      headers: (status: number) => void events.push(`headers ${status}`),
      data: (d: Uint8Array) => void events.push(`data ${dec(d)}`),
      end: () => void events.push('end'),
      reset: (reason: string) => void events.push(`reset ${reason}`),
    },
  };
}
