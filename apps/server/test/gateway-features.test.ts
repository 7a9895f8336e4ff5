import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server.js';
import { example, header } from './support/plugins.js';
import { project } from './support/projects.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const GET = { method: 'GET', path: '/get', headers: [], body: '' };

async function session(files: Record<string, string>, config: string, extra: Record<string, unknown> = {}) {
  const built = await server.post('/api/build', { files });
  expect(built.json.ok, built.json.output).toBe(true);
  const { status, json } = await server.post('/api/sessions', { buildId: built.json.buildId, config, ...extra });
  expect(status, JSON.stringify(json)).toBe(201);
  return json.sessionId as string;
}
const end = (id: string) => fetch(`${server.url}/api/sessions/${id}`, { method: 'DELETE' });

describe('_rules_ matching', () => {
  it('applies a rule for its route only, and the exchange says which config applied and why', async () => {
    const id = await session((await example('hello-world')).files, 'mockEnable: false\n_rules_:\n  - _match_route_: [vip]\n    mockEnable: true\n');
    const vip = (await server.post(`/api/sessions/${id}/exchanges`, { ...GET, route: 'vip' })).json;
    expect(vip.localReply).toBe(true);
    expect(vip.configMatch).toEqual({ applied: 'rule 1', reason: 'route "vip" is in its _match_route_' });
    expect(vip.timeline[0]).toMatchObject({ phase: 'config_match', detail: expect.stringContaining('rule 1') });
    const plain = (await server.post(`/api/sessions/${id}/exchanges`, GET)).json;
    expect(plain.localReply).toBe(false);
    expect(plain.configMatch.applied).toBe('global');
    await end(id);
  });

  it('matches by domain and by service as the gateway does', async () => {
    const config = [
      '_rules_:',
      '  - _match_domain_: ["*.example.com"]',
      '    mockEnable: true',
      '  - _match_service_: ["orders.shop.svc.cluster.local:8080"]',
      '    mockEnable: true',
    ].join('\n');
    const id = await session((await example('hello-world')).files, config);
    const byDomain = (await server.post(`/api/sessions/${id}/exchanges`, { ...GET, headers: [['host', 'api.example.com']] })).json;
    expect(byDomain).toMatchObject({ localReply: true, configMatch: { applied: 'rule 1' } });
    const byService = (await server.post(`/api/sessions/${id}/exchanges`, { ...GET, service: 'orders.shop.svc.cluster.local:8080' })).json;
    expect(byService).toMatchObject({ localReply: true, configMatch: { applied: 'rule 2' } });
    // No rule and no global config: the plugin does nothing, as in the gateway.
    const none = (await server.post(`/api/sessions/${id}/exchanges`, GET)).json;
    expect(none.configMatch.applied).toBe('none');
    expect(none.localReply).toBe(false);
    expect(header(none.upstreamRequest.headers, 'hello')).toEqual([]);
    await end(id);
  });
});

describe('plugin on vs off', () => {
  it('shows exactly what hello-world changed: one header at the upstream, nothing else', async () => {
    const id = await session((await example('hello-world')).files, 'mockEnable: false');
    const { json } = await server.post(`/api/sessions/${id}/plugin-effect`, GET);
    expect(json.withoutPlugin.upstreamRequest.headers.some(([k]: [string]) => k === 'hello')).toBe(false);
    expect(json.effect.request.headers).toEqual({ added: [['hello', 'world']], removed: [], changed: [] });
    // httpbin echoes the header, so the response body differs by exactly that (beside the
    // gateway's own timestamp, Req-Start-Time).
    const { 'Req-Start-Time': t0, ...before } = JSON.parse(json.effect.response.body.before).headers;
    const { 'Req-Start-Time': t1, ...after } = JSON.parse(json.effect.response.body.after).headers;
    expect([t0, t1].every((t) => /^\d{13}$/.test(t[0]))).toBe(true);
    expect(after).toEqual({ ...before, Hello: ['world'] });
    expect(json.effect.response.headers).toMatchObject({ added: [], removed: [] });
    await end(id);
  });

  it('shows a local reply replacing the upstream answer', async () => {
    const id = await session((await example('hello-world')).files, 'mockEnable: true');
    const { json } = await server.post(`/api/sessions/${id}/plugin-effect`, GET);
    expect(json.effect).toMatchObject({ localReply: true, request: null });
    expect(json.effect.response.body.after).toBe('hello world');
    await end(id);
  });
});

describe('request sequences and a virtual clock', () => {
  it('runs 20 requests through one VM and reports time and memory per request', async () => {
    const id = await session((await example('hello-world')).files, 'mockEnable: false');
    const { json } = await server.post(`/api/sessions/${id}/sequence`, { requests: [GET], repeat: 20 });
    expect(json.steps).toHaveLength(20);
    for (const step of json.steps) {
      expect(step.status).toBe(200);
      expect(step.durationUs).toBeGreaterThan(0);
      expect(step.memoryBytes).toBeGreaterThan(1 << 20);
    }
    expect(json.exchanges).toHaveLength(20);
    await end(id);
  });

  it('carries plugin state over and fires ticks on virtual time (one worker VM, and the main thread\'s)', async () => {
    const id = await session(await project('rate-limit'), 'perSecond: 2\n', { clock: 'virtual', gateway: { profile: 'higress', workers: 1 } });
    const seq = (await server.post(`/api/sessions/${id}/sequence`, { requests: [GET], repeat: 3 })).json;
    expect(seq.steps.map((s: { status: number }) => s.status)).toEqual([200, 200, 429]);
    const advanced = (await server.post(`/api/sessions/${id}/advance`, { ms: 1000 })).json;
    // 10 on the worker and 10 on the main thread's VM (ENVOY thread_local_impl.cc SlotImpl::set).
    expect(advanced.ticks).toBe(20);
    expect(advanced.logs.filter((l: { message: string }) => l.message.includes('window reset')).map((l: { worker?: number; thread?: string }) => l.thread ?? l.worker)).toEqual(['main', 0]);
    expect((await server.post(`/api/sessions/${id}/exchanges`, GET)).json.response.status).toBe(200);
    await end(id);
  });

  it('with two workers (the Higress default) Go globals are per worker: each VM counts its own requests, and each ticks', async () => {
    const id = await session(await project('rate-limit'), 'perSecond: 2\n', { clock: 'virtual' });
    const seq = (await server.post(`/api/sessions/${id}/sequence`, { requests: [GET], repeat: 6 })).json;
    // New connections alternate between the workers: a limit of 2 in a Go global lets 4 through.
    expect(seq.exchanges.map((e: { worker: number }) => e.worker)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(seq.steps.map((s: { status: number }) => s.status)).toEqual([200, 200, 200, 200, 429, 429]);
    const advanced = (await server.post(`/api/sessions/${id}/advance`, { ms: 1000 })).json;
    expect(advanced.ticks).toBe(30);
    expect(advanced.logs.filter((l: { message: string }) => l.message.includes('window reset')).map((l: { worker?: number; thread?: string }) => l.thread ?? l.worker)).toEqual(['main', 0, 1]);
    await end(id);
  });

  it('refuses to move a real clock', async () => {
    const id = await session((await example('hello-world')).files, 'mockEnable: false');
    const { status, json } = await server.post(`/api/sessions/${id}/advance`, { ms: 100 });
    expect(status).toBe(409);
    expect(json.error).toMatch(/clock": "virtual"/);
    await end(id);
  });
});
