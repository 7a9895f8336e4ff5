// src/io.ts: the adapters between whole messages and the streaming StreamIo: EventQueue (response
// events in order), responseEvents (a complete response as events, end-of-stream on the last one)
// and bufferedUpstream (an upstream written as a function of the whole request).
import { describe, expect, it } from 'vitest';
import { bufferedUpstream, EventQueue, responseEvents } from '../src/io.js';
import type { HttpRequest, ResponseEvent, UpstreamRequestHead } from '../src/index.js';
import { dec, enc } from './support/harness.js';

describe('EventQueue', () => {
  it('hands out pushed items first in, first out', async () => {
    const q = new EventQueue<number>();
    q.push(1);
    q.push(2);
    expect(await q.next()).toBe(1);
    expect(await q.next()).toBe(2);
  });

  it('a next() waiting before the push gets the item; later items queue behind it in order', async () => {
    const q = new EventQueue<string>();
    const waiting = q.next();
    q.push('a');
    q.push('b');
    q.push('c');
    expect(await waiting).toBe('a');
    expect(await q.next()).toBe('b');
    expect(await q.next()).toBe('c');
  });

  it('next() on an empty queue waits', async () => {
    const q = new EventQueue<number>();
    const r = await Promise.race([q.next(), new Promise((res) => setTimeout(() => res('still waiting'), 20))]);
    expect(r).toBe('still waiting');
  });
});

describe('responseEvents', () => {
  it('no body, no trailers: the headers end the stream', () => {
    expect(responseEvents({ status: 204, headers: [['x', '1']], body: new Uint8Array(0) })).toEqual([{ type: 'headers', status: 204, headers: [['x', '1']], endOfStream: true }]);
  });

  it('a body: headers, then one data event that ends the stream', () => {
    const ev = responseEvents({ status: 200, headers: [], body: enc('hi') });
    expect(ev).toEqual([
      { type: 'headers', status: 200, headers: [], endOfStream: false },
      { type: 'data', data: enc('hi'), endOfStream: true },
    ]);
  });

  it('chunks: one data event each, only the last ends the stream', () => {
    const ev = responseEvents({ status: 200, headers: [], body: enc('ignored') }, [enc('a'), enc('b'), enc('c')]);
    expect(ev.map((e) => (e.type === 'data' ? `${dec(e.data)}:${e.endOfStream}` : `${e.type}:${'endOfStream' in e ? e.endOfStream : ''}`))).toEqual(['headers:false', 'a:false', 'b:false', 'c:true']);
  });

  it('trailers come last and end the stream instead of the data', () => {
    const ev = responseEvents({ status: 200, headers: [], body: enc('x'), trailers: [['grpc-status', '0']] });
    expect(ev).toEqual([
      { type: 'headers', status: 200, headers: [], endOfStream: false },
      { type: 'data', data: enc('x'), endOfStream: false },
      { type: 'trailers', trailers: [['grpc-status', '0']] },
    ]);
    // Trailers with no body: the headers do not end the stream either.
    expect(responseEvents({ status: 200, headers: [], body: new Uint8Array(0), trailers: [] })[0]).toMatchObject({ endOfStream: false });
  });
});

const HEAD: UpstreamRequestHead = { method: 'POST', path: '/p', authority: 'up', scheme: 'http', headers: [['content-type', 'text/plain']] };

async function drain(next: () => Promise<ResponseEvent>): Promise<ResponseEvent[]> {
  const out: ResponseEvent[] = [];
  for (;;) {
    const e = await next();
    out.push(e);
    if (e.type === 'reset' || e.type === 'trailers' || ('endOfStream' in e && e.endOfStream)) return out;
  }
}

describe('bufferedUpstream', () => {
  it('answers once the request ended, with the whole body the router wrote and its trailers', async () => {
    const seen: HttpRequest[] = [];
    const open = bufferedUpstream((req) => {
      seen.push(req);
      return { status: 201, headers: [['x-len', String(req.body!.length)]], body: enc(`got ${dec(req.body)}`) };
    });
    const s = open(HEAD);
    s.write(enc('ab'));
    s.write(enc('cd'));
    expect(seen).toEqual([]);
    s.end([['x-trailer', '1']]);
    const events = await drain(s.next);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ ...HEAD, trailers: [['x-trailer', '1']] });
    expect(dec(seen[0].body)).toBe('abcd');
    expect(events[0]).toEqual({ type: 'headers', status: 201, headers: [['x-len', '4']], endOfStream: false });
    expect(dec((events[1] as { data: Uint8Array }).data)).toBe('got abcd');
  });

  it('an async answer works the same; a second end() does not answer twice', async () => {
    let calls = 0;
    const s = bufferedUpstream(async () => {
      calls++;
      return { status: 200, headers: [], body: new Uint8Array(0) };
    })(HEAD);
    s.end();
    s.end();
    expect(await s.next()).toMatchObject({ type: 'headers', status: 200, endOfStream: true });
    expect(calls).toBe(1);
  });

  it('a throw with connect: true is a connection failure; any other throw a reset', async () => {
    const refused = bufferedUpstream(() => {
      throw Object.assign(new Error('ECONNREFUSED'), { connect: true });
    })(HEAD);
    refused.end();
    expect(await refused.next()).toEqual({ type: 'reset', reason: 'ECONNREFUSED', connect: true });
    const broken = bufferedUpstream(() => Promise.reject(new Error('socket hang up')))(HEAD);
    broken.end();
    expect(await broken.next()).toEqual({ type: 'reset', reason: 'socket hang up', connect: false });
  });

  it('a request the gateway reset before it ended is never answered', async () => {
    let calls = 0;
    const s = bufferedUpstream(() => {
      calls++;
      return { status: 200, headers: [], body: new Uint8Array(0) };
    })(HEAD);
    s.write(enc('x'));
    s.reset('local reply');
    s.end();
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toBe(0);
  });
});
