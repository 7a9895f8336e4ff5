// Redis-backed and AI-gateway plugins through the whole playground: the examples built with the real
// Go toolchain, a real redis-server per session, the LLM provider stand-in (our own, not a model),
// /api/run and curl against the session's gateway port.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server.js';
import { header } from './support/plugins.js';

const run = promisify(execFile);

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

type Scenario = { files: Record<string, string>; config: string; services?: unknown[]; gateway?: unknown; requests: { method: string; path: string; headers: [string, string][]; body: string }[] };
const example = async (name: string) => (await (await server.get(`/api/examples/${name}`)).json()) as Scenario;
const exchange = async (id: string, req: unknown) => (await server.post(`/api/sessions/${id}/exchanges`, req)).json;
const end = (id: string) => fetch(`${server.url}/api/sessions/${id}`, { method: 'DELETE' });
const codes = (ex: { notes?: { code: string }[] }) => (ex.notes ?? []).map((n) => n.code);

async function runExample(name: string, overrides: Partial<Scenario> & { request?: unknown } = {}) {
  const s = { ...(await example(name)), ...overrides };
  const { status, json } = await server.post('/api/run', {
    files: s.files,
    config: s.config,
    services: s.services ?? [],
    ...(s.gateway ? { gateway: s.gateway } : {}),
    request: overrides.request ?? s.requests[0],
  });
  expect(status, JSON.stringify(json.error ?? json.build?.output)).toBe(200);
  expect(json.session, JSON.stringify(json.error)).not.toBeNull();
  return json;
}

describe('the redis-rate-limit example', () => {
  const alice = { method: 'GET', path: '/get', headers: [['x-api-key', 'alice']], body: '' };
  const bob = { method: 'GET', path: '/get', headers: [['x-api-key', 'bob']], body: '' };

  it('lets 3 requests per caller through, answers the 4th 429, and shows each Redis call', async () => {
    const first = await runExample('redis-rate-limit', { request: alice });
    const id = first.session.sessionId;
    expect(first.exchange.response.status).toBe(200);
    expect(header(first.exchange.response.headers, 'x-ratelimit-remaining')).toEqual(['2']);
    expect(first.exchange.redisCalls[0]).toMatchObject({ cluster: 'outbound|6379||redis.static', status: 'ok' });
    expect(first.exchange.redisCalls[0].command).toMatch(/^eval /i);
    expect(first.exchange.redisCalls[0].reply).toMatch(/^1\) \(integer\) 1 2\) \(integer\) \d+/);
    expect(first.exchange.timeline.map((t: { phase: string }) => t.phase)).toContain('redis_call_response');
    expect(first.session.clusters).toContain('redis');

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await exchange(id, alice)).response.status);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await exchange(id, alice);
    expect(refused.localReply).toBe(true);
    expect(refused.responseCodeDetails).toBe('redis-rate-limit.exceeded');
    expect(Number(header(refused.response.headers, 'retry-after')[0])).toBeGreaterThan(0);
    expect((await exchange(id, bob)).response.status).toBe(200);
    await end(id);
  });

  it('counts across worker VMs and curl connections, keeps the keys in the session\'s own Redis, and forgets them when cleared', async () => {
    const first = await runExample('redis-rate-limit', { request: alice });
    const { sessionId: id, gatewayUrl } = first.session;
    // Separate curl processes: separate connections, spread over the two workers.
    const curl = async () => {
      const { stdout } = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', 'x-api-key: alice', `${gatewayUrl}/get`]);
      return stdout;
    };
    expect([await curl(), await curl(), await curl()]).toEqual(['200', '200', '429']);

    const keys = await (await server.get(`/api/sessions/${id}/redis`)).json();
    expect(keys.services).toHaveLength(1);
    const db0 = keys.services[0].databases.find((d: { db: number }) => d.db === 0);
    expect(db0.keys).toEqual([expect.objectContaining({ key: 'ratelimit:alice', type: 'string', value: '4' })]);
    expect(db0.keys[0].ttlMs).toBeGreaterThan(0);

    // Another session has a Redis of its own: alice starts over there.
    const other = await runExample('redis-rate-limit', { request: alice });
    expect(header(other.exchange.response.headers, 'x-ratelimit-remaining')).toEqual(['2']);
    await end(other.session.sessionId);

    expect((await fetch(`${server.url}/api/sessions/${id}/redis`, { method: 'DELETE' })).status).toBe(204);
    expect((await exchange(id, alice)).response.status).toBe(200);
    await end(id);
  });

  it('without the Redis service declared, the gateway refuses the cluster: the plugin fails open and the exchange says why', async () => {
    const json = await runExample('redis-rate-limit', { services: [], request: alice });
    expect(json.exchange.response.status).toBe(200);
    expect(codes(json.exchange)).toContain('unknown_cluster');
    expect(json.exchange.logs.some((l: { message: string }) => /rate limit not checked/.test(l.message))).toBe(true);
    await end(json.session.sessionId);
  });

  it('a service list the gateway cannot have is a 400 naming the problem', async () => {
    const s = await example('redis-rate-limit');
    const bad = await server.post('/api/run', { files: s.files, config: s.config, services: [{ kind: 'redis', name: 'a' }, { kind: 'redis', name: 'a' }], request: alice });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/two services are named "a"/);
    const upstream = await server.post('/api/run', { files: s.files, config: s.config, services: [{ kind: 'redis', name: 'r' }], gateway: { profile: 'higress', upstream: 'r' }, request: alice });
    expect(upstream.status).toBe(400);
    expect(upstream.json.error.error).toMatch(/"r" is a redis service/);
  });
});

describe('the ai-token-counter example (the route goes to the LLM stand-in)', () => {
  it('a streamed answer reaches the plugin chunk by chunk and the client as it comes; the usage is counted at the end', async () => {
    const s = await example('ai-token-counter');
    expect(s.gateway).toMatchObject({ upstream: 'llm-openai' });
    const json = await runExample('ai-token-counter');
    const ex = json.exchange;
    expect(ex.response.status).toBe(200);
    expect(header(ex.response.headers, 'content-type')[0]).toMatch(/text\/event-stream/);
    const body: string = ex.response.body;
    expect(body).toContain('data: [DONE]');
    expect(body).toMatch(/: tokens prompt=6 completion=\d+ total=\d+\n\n$/);
    const chunks = ex.timeline.filter((t: { phase: string }) => t.phase === 'response_body');
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.at(-1).endOfStream).toBe(true);
    expect(ex.logs.some((l: { message: string }) => /model gpt-4o used prompt=6/.test(l.message))).toBe(true);
    expect(ex.upstreamRequest.path).toBe('/v1/chat/completions');
    const { metrics } = await (await server.get(`/api/sessions/${json.session.sessionId}/metrics`)).json();
    expect(metrics).toContainEqual(expect.objectContaining({ name: 'ai_tokens_prompt.model.gpt-4o', type: 'counter', value: 6 }));

    // The same through curl -N: several reads, the first before the stream ended.
    const res = await fetch(`${json.session.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: s.requests[0].body });
    const reader = res.body!.getReader();
    const reads: string[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      reads.push(new TextDecoder().decode(value));
    }
    expect(reads.length).toBeGreaterThan(2);
    expect(reads[0]).not.toContain('[DONE]');
    expect(reads.join('')).toMatch(/: tokens prompt=6/);
    await end(json.session.sessionId);
  });

  it('a JSON answer is read whole and its headers carry the counts', async () => {
    const s = await example('ai-token-counter');
    const json = await runExample('ai-token-counter', { request: s.requests[1] });
    expect(header(json.exchange.response.headers, 'x-ai-tokens')).toEqual([expect.stringMatching(/^prompt=4 completion=\d+ total=\d+$/)]);
    expect(JSON.parse(json.exchange.response.body).choices[0].message.content).toBe('Stand-in reply from gpt-4o-mini: you said "Hello, world!"');
    await end(json.session.sessionId);
  });

  it('/api/run?stream=1 sends the build, the session, each chunk as it comes, then the result', async () => {
    const s = await example('ai-token-counter');
    const res = await fetch(`${server.url}/api/run?stream=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ files: s.files, config: s.config, services: s.services, gateway: s.gateway, request: s.requests[0] }),
    });
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const events = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    const types = events.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(['build', 'session', 'headers']);
    expect(types.filter((t) => t === 'data').length).toBeGreaterThan(3);
    expect(types.slice(-2)).toEqual(['end', 'result']);
    const data = events.filter((e) => e.type === 'data');
    expect(data[0].atMs).toBeLessThan(data.at(-1).atMs);
    const result = events.at(-1);
    expect(result.status).toBe(200);
    expect(result.result.exchange.response.body).toBe(data.map((d: { body: string }) => d.body).join(''));
    await end(result.result.session.sessionId);
  });

  it('the stand-in answers errors as a provider would: an unknown model, a forced 429', async () => {
    const s = await example('ai-token-counter');
    const unknown = await runExample('ai-token-counter', { request: { ...s.requests[1], body: JSON.stringify({ model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] }) } });
    expect(unknown.exchange.response.status).toBe(404);
    expect(JSON.parse(unknown.exchange.response.body).error.code).toBe('model_not_found');
    await end(unknown.session.sessionId);
    const limited = await runExample('ai-token-counter', { services: [{ kind: 'llm', name: 'llm-openai', failStatus: 429 }], request: s.requests[1] });
    expect(limited.exchange.response.status).toBe(429);
    expect(JSON.parse(limited.exchange.response.body).error.code).toBe('rate_limit_exceeded');
    await end(limited.session.sessionId);
  });
});

describe('the ai-prompt-decorator example', () => {
  it('adds the configured messages around the user\'s, and the provider sees them all', async () => {
    const json = await runExample('ai-prompt-decorator');
    const sent = JSON.parse(json.exchange.upstreamRequest.body);
    expect(sent.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'user']);
    expect(sent.messages[1].content).toBe('What is a WASM plugin?');
    const answer = JSON.parse(json.exchange.response.body);
    expect(answer.choices[0].message.content).toBe('Stand-in reply from gpt-4o: you said "Reply in English."');
    expect(header(json.exchange.upstreamRequest.headers, 'content-length')).toEqual([]);
    await end(json.session.sessionId);
  });

  it('left with its stale content-length, the longer body is cut: the provider cannot parse it and the exchange says why', async () => {
    const s = await example('ai-prompt-decorator');
    const files = { 'main.go': s.files['main.go'].replace('proxywasm.RemoveHttpRequestHeader("content-length")', '_ = proxywasm.RemoveHttpRequestHeader') };
    const json = await runExample('ai-prompt-decorator', { files });
    expect(json.exchange.response.status).toBe(400);
    expect(JSON.parse(json.exchange.response.body).error.message).toMatch(/could not parse the JSON body/);
    expect(codes(json.exchange)).toContain('stale_content_length');
    await end(json.session.sessionId);
  });
});
