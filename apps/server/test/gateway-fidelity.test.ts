// The gateway's strictness through the whole playground: real builds, the real host, the real
// go-httpbin and curl. The host's conformance tests (packages/proxy-wasm-host/test/conformance.test.ts)
// cite the Envoy source of each behaviour; these check that a user of the API and of the session's
// gateway port meets them the same way.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server.js';
import { example, header, hostTestPlugin } from './support/plugins.js';

const run = promisify(execFile);
const GET = { method: 'GET', path: '/get', headers: [], body: '' };

let server: TestServer;
let buildId: string;
beforeAll(async () => {
  process.env.PLAYGROUND_STREAM_TIMEOUT_MS = '1500';
  server = await startServer();
  const built = await server.post('/api/build', { files: await hostTestPlugin('gateway') });
  expect(built.json.ok, built.json.output).toBe(true);
  buildId = built.json.buildId;
});
afterAll(() => server.close());

async function session(config: object, extra: Record<string, unknown> = {}) {
  const { status, json } = await server.post('/api/sessions', { buildId, config: JSON.stringify(config), ...extra });
  expect(status, JSON.stringify(json)).toBe(201);
  return json as { sessionId: string; gatewayUrl: string; gateway: Record<string, unknown>; clusters: string[] };
}
const exchange = async (id: string, req: unknown) => (await server.post(`/api/sessions/${id}/exchanges`, req)).json;
const end = (id: string) => fetch(`${server.url}/api/sessions/${id}`, { method: 'DELETE' });
const seen = (ex: { response: { headers: [string, string][] } }) => JSON.parse(header(ex.response.headers, 'x-seen')[0] ?? '{}');
const codes = (ex: { notes?: { code: string }[] }) => (ex.notes ?? []).map((n) => n.code);

describe('the gateway profile', () => {
  it('each session says which gateway it reproduces and with which settings; exchanges name the profile and worker', async () => {
    const s = await session({}, { gateway: { profile: 'higress', bufferLimitBytes: 65536 } });
    expect(s.gateway).toMatchObject({ name: 'higress', bufferLimitBytes: 65536, workers: 2, routeTimeoutMs: 0, failStrategy: 'FAIL_CLOSE' });
    expect(s.clusters).toEqual(['outbound|80||httpbin.playground.svc.cluster.local']);
    const ex = await exchange(s.sessionId, GET);
    expect(ex).toMatchObject({ profile: 'higress', worker: 0, responseCodeDetails: 'via_upstream' });
    await end(s.sessionId);
  });

  it('a setting out of range is a 400 naming it', async () => {
    const { status, json } = await server.post('/api/sessions', { buildId, config: '', gateway: { profile: 'higress', workers: 99 } });
    expect(status).toBe(400);
    expect(json.error).toMatch(/gateway\.workers/);
  });
});

describe('what the real httpbin sees and sends', () => {
  it('a 40 KB body the plugin buffers: 413 under the Higress profile, through /api/run with a real client body', async () => {
    const s = await session({ mode: 'buffer_request' });
    const ex = await exchange(s.sessionId, { method: 'POST', path: '/post', headers: [['content-type', 'text/plain']], body: 'x'.repeat(40_000) });
    expect(ex.response.status).toBe(413);
    // The builder sends content-length, as curl would.
    expect(header(ex.request.headers, 'content-length')).toEqual(['40000']);
    expect(codes(ex)).toContain('buffer_limit');
    await end(s.sessionId);
  });

  it('a shorter request body with a stale content-length: httpbin waits for the missing bytes until the stream times out', async () => {
    const s = await session({ mode: 'rewrite_request_body', body: 'short' });
    const ex = await exchange(s.sessionId, { method: 'POST', path: '/anything', headers: [], body: '0123456789' });
    expect(ex.response.status).toBe(504);
    expect(ex.response.body).toBe('stream timeout');
    expect(codes(ex)).toEqual(expect.arrayContaining(['stale_content_length', 'playground_bound']));
    await end(s.sessionId);
  });

  it('an upstream response streamed by httpbin (/stream/3) reaches the plugin chunk by chunk', async () => {
    const s = await session({ mode: 'response_chunks' });
    const ex = await exchange(s.sessionId, { ...GET, path: '/stream/3' });
    const bodies = ex.timeline.filter((t: { phase: string }) => t.phase === 'response_body');
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    expect(bodies.at(-1).endOfStream).toBe(true);
    expect(bodies.slice(0, -1).every((t: { endOfStream: boolean }) => !t.endOfStream)).toBe(true);
    // The plugin upper-cased each chunk; httpbin's JSON lines arrive that way.
    expect(ex.response.body.split('\n').filter(Boolean)).toHaveLength(3);
    expect(ex.response.body).toContain('"URL"');
    await end(s.sessionId);
  });

  it('server-sent events stream to a client of the session gateway as they come (curl -N)', async () => {
    const s = await session({ mode: 'response_chunks' });
    const res = await fetch(`${s.gatewayUrl}/sse?count=3&duration=600ms`);
    const reader = res.body!.getReader();
    const reads: string[] = [];
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      reads.push(new TextDecoder().decode(r.value));
    }
    // Three events, each its own read: the response was not gathered before it was sent.
    expect(reads.join('')).toMatch(/^EVENT: PING/);
    expect(reads.filter((r) => r.includes('EVENT: PING')).length).toBe(3);
    expect(reads.length).toBeGreaterThanOrEqual(3);
    await end(s.sessionId);
  });

  it('a request body sent in chunks reaches on_request_body chunk by chunk', async () => {
    const s = await session({ mode: 'request_chunks' });
    const ex = await exchange(s.sessionId, { method: 'POST', path: '/anything', headers: [['content-type', 'text/plain']], body: '', bodyChunks: [{ body: 'ab' }, { body: 'cd', delayMs: 20 }] });
    expect(ex.logs.filter((l: { message: string }) => l.message.startsWith('request chunk')).map((l: { message: string }) => l.message)).toEqual([
      'request chunk 2 bytes eos=false: ab',
      'request chunk 2 bytes eos=true: cd',
    ]);
    expect(header(ex.request.headers, 'transfer-encoding')).toEqual(['chunked']);
    expect(JSON.parse(ex.response.body).data).toBe('abcd');
    await end(s.sessionId);
  });
});

describe('the session gateway port', () => {
  it('a reset after the response headers is a dropped connection for curl, and a reset in the exchange', async () => {
    const s = await session({ mode: 'rewrite_response_body', body: 'hi' });
    const events = await fetch(`${server.url}/api/sessions/${s.sessionId}/events`);
    const reader = events.body!.getReader();
    const curl = await run('curl', ['-sS', '-o', '/dev/null', `${s.gatewayUrl}/bytes/10`]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    // curl: (18) transfer closed with outstanding read data remaining
    expect(curl.code).toBe(18);
    let text = '';
    while (!text.includes('event: exchange')) text += new TextDecoder().decode((await reader.read()).value);
    const ex = JSON.parse(/event: exchange\ndata: (.*)\n/.exec(text)![1]);
    expect(ex.reset).toBeDefined();
    expect(ex.errorKind).toBe('reset');
    expect(codes(ex)).toContain('stale_content_length');
    await reader.cancel();
    await end(s.sessionId);
  });

  it('curl\'s requests on one connection keep their worker; the client address is what the socket says', async () => {
    const s = await session({ mode: 'hop_by_hop' });
    const { stdout } = await run('curl', ['-s', '-D', '-', '-o', '/dev/null', `${s.gatewayUrl}/get`, '-o', '/dev/null', `${s.gatewayUrl}/get`]);
    const seenLines = stdout.split('\n').filter((l) => l.toLowerCase().startsWith('x-seen:'));
    expect(seenLines).toHaveLength(2);
    const both = seenLines.map((l) => JSON.parse(l.slice(l.indexOf(':') + 1)));
    expect(both[0]['worker.requests']).toBe('1');
    expect(both[1]['worker.requests']).toBe('2');
    expect(both[0]['source.address']).toMatch(/^127\.0\.0\.1:\d+$/);
    await end(s.sessionId);
  });

  it('the request builder can say which client a request comes from', async () => {
    const s = await session({ mode: 'hop_by_hop' });
    const ex = await exchange(s.sessionId, { ...GET, clientAddress: '192.168.1.7' });
    expect(seen(ex)).toMatchObject({ 'source.address': '192.168.1.7:51000', 'req.x-forwarded-for': '192.168.1.7', 'req.x-envoy-internal': 'true' });
    expect((await server.post(`/api/sessions/${s.sessionId}/exchanges`, { ...GET, clientAddress: 'not-an-ip' })).status).toBe(400);
    await end(s.sessionId);
  });
});

describe('a crashed VM does not end the session', () => {
  it('the crashing request gets 503; the next one on that worker runs on a rebuilt VM', async () => {
    const s = await session({ mode: 'trap', trapAt: 1 }, { gateway: { profile: 'higress', workers: 1 } });
    const crash = await exchange(s.sessionId, GET);
    expect(crash.response.status).toBe(503);
    expect(crash.responseCodeDetails).toBe('wasm_fail_stream');
    expect(crash.errorKind).toBe('crash');
    const next = await exchange(s.sessionId, GET);
    expect(codes(next)).toContain('vm_recovered');
    await end(s.sessionId);
  });

  it('FAIL_OPEN lets the request through without the plugin', async () => {
    const s = await session({ mode: 'trap', trapAt: 1 }, { gateway: { profile: 'higress', failStrategy: 'FAIL_OPEN' } });
    const ex = await exchange(s.sessionId, GET);
    expect(ex.response.status).toBe(200);
    expect(codes(ex)).toContain('fail_open');
    await end(s.sessionId);
  });
});

describe('the examples keep working with the services they declare', () => {
  it('http-call declares token-service; the exchange shows it among the session\'s clusters', async () => {
    const ex = await example('http-call');
    const { json } = await server.post('/api/run', { files: ex.files, config: ex.config, services: ex.services, request: GET });
    expect(json.session.clusters).toContain('token-service');
    expect(json.exchange.callouts[0].response.status).toBe(200);
    await end(json.session.sessionId);
  });
});
