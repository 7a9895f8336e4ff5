import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffExchange } from '@playground/shared';
import { startServer, type TestServer } from './support/server.js';
import { example, header, testPlugin } from './support/plugins.js';

const run = promisify(execFile);
const GET = { method: 'GET', path: '/get', headers: [['accept', 'application/json']], body: '' };

let server: TestServer;
beforeAll(async () => {
  // Short limits so the hostile plugins fail fast.
  process.env.PLAYGROUND_CALLBACK_TIMEOUT_MS = '1000';
  process.env.PLAYGROUND_STREAM_TIMEOUT_MS = '1500';
  process.env.PLAYGROUND_VM_MEMORY_MB = '128';
  process.env.PLAYGROUND_SESSIONS_PER_CLIENT = '6';
  server = await startServer();
});
afterAll(() => server.close());

async function runExample(name: string, config?: string, extra: Record<string, unknown> = {}) {
  const ex = await example(name);
  return server.post('/api/run', { files: ex.files, config: config ?? ex.config, services: ex.services, request: GET, ...extra });
}

async function endSession(id: string | undefined) {
  if (id) await fetch(`${server.url}/api/sessions/${id}`, { method: 'DELETE' });
}

describe("POST /api/run with the Higress guide's examples", () => {
  it('hello-world adds `hello: world`, as httpbin sees it', async () => {
    const { status, json } = await runExample('hello-world', 'mockEnable: false\n');
    expect(status, JSON.stringify(json.error)).toBe(200);
    expect(json.build.ok).toBe(true);
    const ex = json.exchange;
    expect(ex.localReply).toBe(false);
    expect(header(ex.upstreamRequest.headers, 'hello')).toEqual(['world']);
    // httpbin echoes the headers it received.
    expect(JSON.parse(ex.response.body).headers.Hello).toEqual(['world']);
    expect(diffExchange(ex).request?.headers.added).toContainEqual(['hello', 'world']);
    expect(ex.logs.map((l: { message: string }) => l.message).join('\n')).toContain('added header hello: world');
    expect(ex.timeline.map((t: { phase: string }) => t.phase)).toContain('request_headers');
    await endSession(json.session.sessionId);
  });

  it('hello-world with mockEnable answers `hello world` itself and httpbin sees nothing', async () => {
    const { json } = await runExample('hello-world', 'mockEnable: true\n');
    const ex = json.exchange;
    expect(ex.localReply).toBe(true);
    expect(ex.response).toMatchObject({ status: 200, body: 'hello world' });
    expect(ex.upstreamRequest).toBeNull();
    expect(ex.upstreamResponse).toBeNull();
    await endSession(json.session.sessionId);
  });

  it('the no-config plugin answers locally', async () => {
    const { json } = await runExample('no-config');
    expect(json.exchange).toMatchObject({ localReply: true, upstreamRequest: null, response: { status: 200, body: 'hello world' } });
    await endSession(json.session.sessionId);
  });

  it('http-call gets a token from the token service and the upstream sees it', async () => {
    const { json } = await runExample('http-call');
    const ex = json.exchange;
    expect(ex.callouts).toHaveLength(1);
    expect(ex.callouts[0].cluster).toBe('outbound|80||token-service.static');
    expect(ex.callouts[0].response.status).toBe(200);
    expect(header(ex.upstreamRequest.headers, 'x-token')).toEqual(['playground-token-123']);
    expect(ex.timeline.find((t: { phase: string }) => t.phase === 'request_headers').action).toBe('Pause');
    await endSession(json.session.sessionId);
  });

  it('http-call without the token service declared: the callout fails at once (BadArgument), as in Envoy, and the exchange says why', async () => {
    const { json } = await runExample('http-call', undefined, { services: [] });
    const ex = json.exchange;
    expect(ex.callouts).toHaveLength(0);
    expect(header(ex.upstreamRequest.headers, 'x-token')).toEqual([]);
    expect(ex.notes.find((n: { code: string }) => n.code === 'unknown_cluster').fix).toMatch(/token-service/);
    expect(ex.logs.map((l: { message: string }) => l.message).join('\n')).toMatch(/http call could not be sent/);
    await endSession(json.session.sessionId);
  });

  it('http-call reaches a mock service defined in the session', async () => {
    const services = [{ name: 'token-service', status: 200, headers: [['x-token', 'from-the-mock']], body: 'ok' }];
    const { json } = await runExample('http-call', undefined, { services });
    expect(header(json.exchange.upstreamRequest.headers, 'x-token')).toEqual(['from-the-mock']);
    await endSession(json.session.sessionId);
  });
});

describe('sessions', () => {
  it('refuses YAML that does not parse with 422 and its line and column', async () => {
    const built = await server.post('/api/build', { files: (await example('hello-world')).files });
    const { status, json } = await server.post('/api/sessions', { buildId: built.json.buildId, config: 'mockEnable: true\nfoo: [1, 2\n' });
    expect(status).toBe(422);
    expect(json.line).toBe(3);
    expect(json.error).toMatch(/line 3/);
  });

  it('answers 422 with the plugin logs when the plugin rejects its config', async () => {
    const built = await server.post('/api/build', { files: (await example('http-call')).files });
    const { status, json } = await server.post('/api/sessions', { buildId: built.json.buildId, config: 'serviceSource: ip\n' });
    expect(status).toBe(422);
    expect(json.logs.map((l: { message: string }) => l.message).join('\n')).toContain('missing requestPath in config');
  });

  it('404s an unknown build and an unknown session', async () => {
    expect((await server.post('/api/sessions', { buildId: 'nope', config: '' })).status).toBe(404);
    expect((await server.post('/api/sessions/nope/exchanges', GET)).status).toBe(404);
  });

  it('serves curl through gatewayUrl and streams the log and exchange as Server-Sent Events', async () => {
    const built = await server.post('/api/build', { files: (await example('hello-world')).files });
    const { json: session } = await server.post('/api/sessions', { buildId: built.json.buildId, config: 'mockEnable: false' });
    const events = await fetch(`${server.url}/api/sessions/${session.sessionId}/events`);
    const reader = events.body!.getReader();
    const { stdout } = await run('curl', ['-s', `${session.gatewayUrl}/headers`]);
    expect(JSON.parse(stdout).headers.Hello).toEqual(['world']);
    let text = '';
    while (!text.includes('event: exchange')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('event: log');
    expect(text).toContain('added header hello: world');
    await fetch(`${server.url}/api/sessions/${session.sessionId}`, { method: 'DELETE' });
    while (!text.includes('event: session-ended')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    expect(text).toContain('event: session-ended');
    expect((await server.post(`/api/sessions/${session.sessionId}/exchanges`, GET)).status).toBe(404);
  });

  it('a subscriber that connects after the Run still gets the lines written meanwhile: the other worker and the main thread configuring', async () => {
    const { json: run } = await runExample('hello-world', 'mockEnable: false');
    // The first request is answered: worker 1 and the main thread's VM start now, before anyone listens.
    await new Promise((r) => setTimeout(r, 500));
    const events = await fetch(`${server.url}/api/sessions/${run.session.sessionId}/events`);
    const reader = events.body!.getReader();
    let text = '';
    const configured = () => [...text.matchAll(/"message":"[^"]*configured: mockEnable=false","[^}]*?"(worker":1|thread":"main")/g)].length;
    const until = Date.now() + 5000;
    while (configured() < 2 && Date.now() < until) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 500))]);
      if (chunk?.value) text += new TextDecoder().decode(chunk.value);
    }
    expect(text).toMatch(/"worker":1/);
    expect(text).toMatch(/"thread":"main"/);
    await reader.cancel();
    await endSession(run.session.sessionId);
  });

  it('refuses a body that claims to be base64 and is not, naming the field', async () => {
    const { json: run } = await runExample('hello-world', 'mockEnable: false');
    const bad = await server.post(`/api/sessions/${run.session.sessionId}/exchanges`, { ...GET, body: { base64: '!!not base64!!' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^body\.base64: must be base64/);
    await endSession(run.session.sessionId);
  });

  it('passes a binary body sent to the gateway through unchanged', async () => {
    const { json: run } = await runExample('hello-world', 'mockEnable: false');
    const bytes = Buffer.from([0, 255, 1, 254, 128, 10]);
    const res = await fetch(`${run.session.gatewayUrl}/anything`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    const echo = await res.json();
    expect(Buffer.from(echo.data.replace(/^data:application\/octet-stream;base64,/, ''), 'base64')).toEqual(bytes);
    await endSession(run.session.sessionId);
  });

  it('keeps the per-client cap when many sessions are started at once', async () => {
    const built = await server.post('/api/build', { files: (await example('hello-world')).files });
    const answers = await Promise.all(Array.from({ length: 10 }, () => server.post('/api/sessions', { buildId: built.json.buildId, config: '' })));
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBe(6);
    expect(answers.filter((a) => a.status === 429).length).toBe(4);
    await Promise.all(created.map((a) => endSession(a.json.sessionId)));
  });

  it('caps request bodies and sessions per client with clear errors', async () => {
    const built = await server.post('/api/build', { files: (await example('hello-world')).files });
    const ids: string[] = [];
    const streams: Response[] = [];
    try {
      // Each one open in a page (subscribed to its events), so none is replaced to make room.
      for (;;) {
        const r = await server.post('/api/sessions', { buildId: built.json.buildId, config: '' });
        if (r.status !== 201) {
          expect(r.status).toBe(429);
          expect(r.json.error).toMatch(/already have 6 live sessions, the most one user may have/);
          break;
        }
        ids.push(r.json.sessionId);
        streams.push(await fetch(`${server.url}/api/sessions/${r.json.sessionId}/events`));
        expect(ids.length).toBeLessThanOrEqual(6);
      }
      const big = await server.post(`/api/sessions/${ids[0]}/exchanges`, { ...GET, method: 'POST', path: '/post', body: 'x'.repeat(1024 * 1024 + 1) });
      expect(big.status).toBe(413);
      expect(big.json.error).toMatch(/request body is \d+ bytes/);
    } finally {
      for (const r of streams) await r.body?.cancel();
      await Promise.all(ids.map(endSession));
    }
  });
});

describe('hostile plugins get a clear error while another session keeps serving', () => {
  let healthy: { sessionId: string };
  beforeAll(async () => {
    const built = await server.post('/api/build', { files: (await example('hello-world')).files });
    healthy = (await server.post('/api/sessions', { buildId: built.json.buildId, config: 'mockEnable: false' })).json;
  });
  afterAll(() => endSession(healthy.sessionId));

  async function hostile(mode: string) {
    const { json } = await server.post('/api/run', { files: await testPlugin('hostile'), config: `mode: ${mode}\n`, request: GET });
    expect(json.build.ok, json.build.output).toBe(true);
    const stillServing = await server.post(`/api/sessions/${healthy.sessionId}/exchanges`, GET);
    expect(header(stillServing.json.upstreamRequest.headers, 'hello')).toEqual(['world']);
    await endSession(json.session?.sessionId);
    return json.exchange;
  }

  it('an endless loop in a callback', async () => {
    const ex = await hostile('loop');
    expect(ex.error).toMatch(/time limit|timed out|ran longer/i);
    expect(ex.errorKind).toBe('timeout');
    // The gateway's worker would hang; the playground stops the thread and drops the connection.
    expect(ex.response.status).toBe(0);
    expect(ex.notes[0].code).toBe('playground_bound');
  });

  it('callbacks that sleep for an hour: each session ends at the time limit and its thread exits, so the caps free up', async () => {
    // More sleepers than one client may have sessions: each must really be gone before the next.
    for (let i = 0; i < 8; i++) {
      const ex = await hostile('sleep');
      expect(ex.errorKind).toBe('timeout');
    }
    let sessions = { ending: -1 };
    for (let i = 0; i < 100 && sessions.ending !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      sessions = (await (await server.get('/api/health')).json()).sessions;
    }
    expect(sessions.ending).toBe(0);
  });

  it('a panic in a callback: wasm-go recovers it, logs the message and stack, and the request goes on', async () => {
    const ex = await hostile('panic');
    const line = ex.logs.find((l: { level: string }) => l.level === 'error');
    expect(line.message).toMatch(/recovered from panic assignment to entry in nil map/);
    expect(line.message).toMatch(/main\.onHttpRequestHeaders/);
    expect(ex.upstreamRequest).not.toBeNull();
  });

  it('a panic at start-up: no session, and the error says why', async () => {
    const { json } = await server.post('/api/run', { files: await testPlugin('panic-in-init'), config: '', request: GET });
    expect(json.build.ok).toBe(true);
    expect(json.session).toBeNull();
    expect(json.error.error).toMatch(/boom at start/);
    expect(json.error.stage).toBe('start');
  });

  it('a host call while the VM initializes (a package-level metric): restricted, the plugin does not start', async () => {
    // CPPH wasm.cc WasmBase::startVm allows only proxy_log (and most WASI) during _initialize; V8
    // traps the rest with "restricted_callback", and createWasm fails ("Failed to initialize Wasm code").
    const { json } = await server.post('/api/run', { files: await testPlugin('metric-in-init'), config: '', request: GET });
    expect(json.build.ok).toBe(true);
    expect(json.session).toBeNull();
    expect(json.error.error).toMatch(/restricted_callback: env\.proxy_define_metric/);
    expect(json.error.error).toMatch(/Failed to initialize Wasm code/);
    expect(json.error.stage).toBe('start');
  });

  it('a memory bomb', async () => {
    const ex = await hostile('bomb');
    expect(ex.error).toMatch(/memory/i);
    expect(ex.errorKind).toBe('memory');
  });

  it('a stream never resumed', async () => {
    const ex = await hostile('pause');
    expect(ex.error).toMatch(/never resumed|paused|timeout/i);
    expect(ex.errorKind).toBe('stalled');
  });
});

describe('the httpbin upstream', () => {
  it('killed mid-run: a clear upstream error, then it comes back', async () => {
    const { json } = await runExample('hello-world', 'mockEnable: false');
    const id = json.session.sessionId;
    process.kill(server.playground.httpbin.pid!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 20));
    const down = await server.post(`/api/sessions/${id}/exchanges`, GET);
    expect(down.json.response.status).toBe(503);
    expect(down.json.error).toMatch(/upstream/i);
    expect(down.json.errorKind).toBe('upstream');
    await server.playground.httpbin.ready();
    const back = await server.post(`/api/sessions/${id}/exchanges`, GET);
    expect(back.json.response.status).toBe(200);
    await endSession(id);
  });
});
