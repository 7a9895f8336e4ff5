// Adapters between whole messages and the streaming StreamIo: an upstream written as a function of
// the complete request (tests, benches, simple embedders), and an event queue for response events.
import { concatBytes } from './memory.js';
import type { Headers, HttpRequest, HttpResponse, ResponseEvent, UpstreamRequestHead, UpstreamStream } from './types.js';

/** Response events in order, consumed one at a time by `next()`. */
export class EventQueue<T> {
  private items: T[] = [];
  private waiter: ((v: T) => void) | undefined;

  push(item: T): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(item);
    } else this.items.push(item);
  }

  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => (this.waiter = resolve));
  }
}

/** The events of a complete response: headers, the body in `chunks` (default one), trailers. */
export function responseEvents(r: HttpResponse, chunks?: Uint8Array[]): ResponseEvent[] {
  const body = chunks ?? (r.body.length ? [r.body] : []);
  const out: ResponseEvent[] = [{ type: 'headers', status: r.status, headers: r.headers, endOfStream: body.length === 0 && !r.trailers }];
  body.forEach((data, i) => out.push({ type: 'data', data, endOfStream: i === body.length - 1 && !r.trailers }));
  if (r.trailers) out.push({ type: 'trailers', trailers: r.trailers });
  return out;
}

/**
 * An upstream that receives the whole request, then answers it: `answer(req)` gets the request as
 * the upstream read it (with the body the router streamed) and returns the response (or throws:
 * a connection failure when the error has `connect: true`, else a reset).
 */
export function bufferedUpstream(answer: (req: HttpRequest) => Promise<HttpResponse> | HttpResponse): (head: UpstreamRequestHead) => UpstreamStream {
  return (head) => {
    const events = new EventQueue<ResponseEvent>();
    let body: Uint8Array = new Uint8Array(0);
    let done = false;
    return {
      write(data) {
        body = concatBytes(body, data);
      },
      end(trailers?: Headers) {
        if (done) return;
        done = true;
        Promise.resolve()
          .then(() => answer({ ...head, body, ...(trailers ? { trailers } : {}) }))
          .then(
            (r) => responseEvents(r).forEach((e) => events.push(e)),
            (e: Error & { connect?: boolean }) => events.push({ type: 'reset', reason: e instanceof Error ? e.message : String(e), connect: !!e?.connect }),
          );
      },
      reset() {
        done = true;
      },
      next: () => events.next(),
    };
  };
}
