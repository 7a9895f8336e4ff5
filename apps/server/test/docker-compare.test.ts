import { describe, expect, it } from 'vitest';
import type { Exchange } from '@playground/shared';
import { compareExchanges } from '../src/runtime/docker/compare.js';
import { toDockerExchange, upstreamRequestFromEcho } from '../src/runtime/docker/exchange.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** What both runtimes would record for hello-world on GET /anything, built by hand. */
function exchange(over: Partial<Exchange> & { echoHeaders?: Record<string, string> } = {}): Exchange {
  const echoHeaders = over.echoHeaders ?? { Host: 'gw', Hello: 'world', 'X-Request-Id': 'id-1' };
  const body = JSON.stringify({ method: 'GET', url: 'http://gw/anything', headers: echoHeaders, origin: '10.0.0.1' });
  return {
    request: { method: 'GET', path: '/anything', headers: [['host', 'gw']], body: '' },
    upstreamRequest: { method: 'GET', path: '/anything', headers: [['host', 'gw'], ['hello', 'world'], ['x-request-id', 'id-1']], body: '' },
    upstreamResponse: { status: 200, headers: [['content-type', 'application/json']], body },
    response: { status: 200, headers: [['content-type', 'application/json'], ['date', 'Mon'], ['content-length', String(body.length)]], body },
    localReply: false,
    logs: [],
    timeline: [],
    callouts: [],
    ...over,
  };
}

describe('compareExchanges', () => {
  it('finds nothing between equal exchanges, ignoring ids, dates, origins and lengths', () => {
    const b = exchange({ echoHeaders: { Host: 'gw', Hello: 'world', 'X-Request-Id': 'id-2' } });
    b.response.headers = [['content-type', 'application/json'], ['date', 'Tue'], ['content-length', '1']];
    b.upstreamRequest!.headers[2] = ['x-request-id', 'id-2'];
    expect(compareExchanges(exchange(), b)).toEqual([]);
  });

  it('lists status, added / removed / changed headers, and body fields', () => {
    const b = exchange({ echoHeaders: { Host: 'gw', Hello: 'world', 'X-Envoy-Expected-Rq-Timeout-Ms': '15000' } });
    b.response = { ...b.response, status: 201, headers: [['content-type', 'text/json'], ['server', 'envoy']] };
    b.upstreamRequest = { ...b.upstreamRequest!, headers: [['host', 'gw'], ['hello', 'world'], ['x-forwarded-proto', 'https']] };
    expect(compareExchanges(exchange(), b)).toEqual([
      { part: 'response', kind: 'status', left: '200', right: '201' },
      { part: 'response', kind: 'header-added', name: 'server', right: 'envoy' },
      { part: 'response', kind: 'header-changed', name: 'content-type', left: 'application/json', right: 'text/json' },
      { part: 'response', kind: 'body', name: 'headers.X-Envoy-Expected-Rq-Timeout-Ms', right: '15000' },
      { part: 'upstreamRequest', kind: 'header-added', name: 'x-forwarded-proto', right: 'https' },
    ]);
  });

  it('reports a local reply on one side only, and a plain-text body as a whole', () => {
    const local = exchange({ localReply: true, upstreamRequest: null, upstreamResponse: null });
    local.response = { status: 200, headers: [['content-type', 'application/json']], body: 'hello world' };
    const d = compareExchanges(exchange(), local);
    expect(d).toContainEqual({ part: 'exchange', kind: 'local-reply', left: 'false', right: 'true' });
    expect(d).toContainEqual({ part: 'upstreamRequest', kind: 'missing', left: 'observed' });
    expect(d.find((x) => x.kind === 'body')).toMatchObject({ part: 'response', right: 'hello world' });
    expect(d.some((x) => x.kind === 'header-removed' && x.name === 'hello')).toBe(false);
  });

  it('compares method, path and removed headers of the upstream request', () => {
    const b = exchange();
    b.upstreamRequest = { method: 'POST', path: '/anything?x=1', headers: [['host', 'gw']], body: 'z' };
    expect(compareExchanges(exchange(), b)).toEqual([
      { part: 'upstreamRequest', kind: 'method', left: 'GET', right: 'POST' },
      { part: 'upstreamRequest', kind: 'path', left: '/anything', right: '/anything?x=1' },
      { part: 'upstreamRequest', kind: 'header-removed', name: 'hello', left: 'world' },
      { part: 'upstreamRequest', kind: 'body', left: '', right: 'z' },
    ]);
  });
});

describe('docker exchanges from what the gateway answered', () => {
  const request = { method: 'POST', path: '/anything/x?q=1', headers: [['host', 'gw'], ['x-request-id', 'r1']] as [string, string][], body: 'hi' };

  it('reads the upstream request from a kennethreitz/httpbin echo', () => {
    const echo = { args: { q: '1' }, data: 'hi', headers: { Host: 'gw', Hello: 'world', 'X-Request-Id': 'r1' }, method: 'POST', url: 'https://gw/anything/x?q=1' };
    const ex = toDockerExchange({
      request,
      response: { status: 200, headers: [['content-type', 'application/json'], ['x-envoy-upstream-service-time', '3']], body: enc(JSON.stringify(echo)) },
      requestId: 'r1',
      logs: [{ level: 'info', message: 'm', time: 't', source: 'plugin', requestId: 'r1' }],
      durationMs: 12.4,
    });
    expect(ex.localReply).toBe(false);
    expect(ex.upstreamRequest).toEqual({
      method: 'POST',
      path: '/anything/x?q=1',
      headers: [['host', 'gw'], ['hello', 'world'], ['x-request-id', 'r1']],
      body: 'hi',
    });
    expect(ex.upstreamResponse).toEqual(ex.response);
    expect(ex.timeline).toHaveLength(1);
    expect(ex.timeline[0]).toMatchObject({ phase: 'gateway', durationUs: 12400 });
    expect(ex.timeline[0].detail).toMatch(/not observable/);
    expect(ex).toMatchObject({ requestId: 'r1', durationMs: 12, logs: [{ message: 'm' }] });
  });

  it('reads go-httpbin echoes: list values, binary data URLs, and /get without a method', () => {
    const go = { headers: { Host: ['gw'], Accept: ['a', 'b'] }, url: 'http://gw/get', data: 'data:application/octet-stream;base64,AAE=' };
    const res = { status: 200, headers: [['content-type', 'application/json; charset=utf-8']] as [string, string][], body: enc(JSON.stringify(go)) };
    expect(upstreamRequestFromEcho(res, 'GET')).toEqual({
      method: 'GET',
      path: '/get',
      headers: [['host', 'gw'], ['accept', 'a'], ['accept', 'b']],
      body: { base64: 'AAE=' },
    });
  });

  it('a local reply has no upstream messages; a non-echo upstream answer has no upstream request', () => {
    const local = toDockerExchange({ request, response: { status: 200, headers: [['content-type', 'text/plain']], body: enc('hello world') }, requestId: 'r1', logs: [], durationMs: 1 });
    expect(local).toMatchObject({ localReply: true, upstreamRequest: null, upstreamResponse: null, response: { body: 'hello world' } });
    const teapot = toDockerExchange({
      request,
      response: { status: 418, headers: [['x-envoy-upstream-service-time', '1']], body: enc('teapot') },
      requestId: 'r1',
      logs: [],
      durationMs: 1,
    });
    expect(teapot).toMatchObject({ localReply: false, upstreamRequest: null, upstreamResponse: { status: 418 } });
  });
});
