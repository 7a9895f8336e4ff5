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
