import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_LINES, visibleLogs } from './logs';
import { persisted } from './persistedState';
import { filesRecord, toWire } from './scenario';
import { useStore } from './store';

const s = () => useStore.getState();

describe('store', () => {
  beforeEach(() => {
    s().loadScenario(
      { files: { 'main.go': 'package main\n' }, config: 'mockEnable: false\n', requests: [{ name: '', method: 'GET', path: '/get', headers: [], body: '' }] },
      { kind: 'share', id: 'abc', forked: false },
    );
    s().clearLogs();
  });

  it('loads a scenario with main.go first', () => {
    s().loadScenario({ files: { 'z.go': 'z', 'main.go': 'm', 'a.go': 'a' }, config: '', requests: [] }, { kind: 'local', forked: false });
    expect(s().files.map((f) => f.name)).toEqual(['main.go', 'a.go', 'z.go']);
    expect(s().requests).toHaveLength(1); // a default request when none is given
  });

  it('adds, renames and deletes extra Go files with checks', () => {
    expect(s().addFile('util.go')).toBeNull();
    expect(s().activeFile).toBe('util.go');
    expect(s().addFile('util.go')).toMatch(/already exists/);
    expect(s().addFile('bad name')).toMatch(/\.go/);
    expect(s().renameFile('main.go', 'x.go')).toMatch(/keeps its name/);
    expect(s().renameFile('util.go', 'helpers.go')).toBeNull();
    expect(filesRecord(s().files)).toEqual({ 'main.go': 'package main\n', 'helpers.go': 'package main\n' });
    expect(s().deleteFile('main.go')).toMatch(/cannot/);
    expect(s().deleteFile('helpers.go')).toBeNull();
    expect(s().activeFile).toBe('main.go');
  });

  it('keeps a project tree: folders, moves, go.mod, and deletes folders with their files', () => {
    expect(s().addFile('provider/openai.go')).toBeNull();
    expect(s().files.find((f) => f.name === 'provider/openai.go')?.content).toBe('package provider\n');
    expect(s().addFile('go.mod')).toBeNull();
    expect(s().addFile('sub/go.mod')).toMatch(/root/);
    expect(s().addFile('../evil.go')).toMatch(/relative path/);
    expect(s().addFile('Makefile')).toMatch(/data files/);
    expect(s().addFolder('config')).toBeNull();
    expect(s().folders).toEqual(['config']);
    expect(s().renameFile('provider/openai.go', 'config/openai.go')).toBeNull();
    expect(s().renameFolder('config', 'pkg/config')).toBeNull();
    expect(s().files.map((f) => f.name)).toEqual(['main.go', 'go.mod', 'pkg/config/openai.go']);
    expect(s().openTabs).toContain('pkg/config/openai.go');
    expect(s().deleteFolder('pkg')).toBeNull();
    expect(s().files.map((f) => f.name)).toEqual(['main.go', 'go.mod']);
    expect(s().openTabs).not.toContain('pkg/config/openai.go');
  });

  it('marks a shared scenario as forked on the first edit', () => {
    expect(s().origin).toEqual({ kind: 'share', id: 'abc', forked: false });
    s().setFileContent('main.go', 'package main // same\n');
    expect(s().origin.forked).toBe(true);
  });

  it('marks a shared scenario as forked when services, the clock or the requests change', () => {
    s().setServices([{ kind: 'http', name: 'token-service', status: 200, headers: [], body: '' }]);
    expect(s().origin.forked).toBe(true);
    for (const edit of [() => s().setClock('virtual'), () => s().removeRequest(s().requests[0].id)]) {
      useStore.setState({ origin: { kind: 'share', id: 'abc', forked: false } });
      edit();
      expect(s().origin.forked).toBe(true);
    }
  });

  it('gives services of old shares their kind, and routes to httpbin again when the LLM service goes', () => {
    const old = [{ name: 'token-service', status: 200, headers: [], body: '' }] as never;
    s().loadScenario({ files: { 'main.go': '' }, config: '', requests: [], services: old, gateway: { profile: 'higress', upstream: 'gone' } }, { kind: 'local', forked: false });
    expect(s().services).toEqual([{ kind: 'http', name: 'token-service', status: 200, headers: [], body: '' }]);
    expect(s().gateway).toEqual({ profile: 'higress' });
    s().setServices([{ kind: 'llm', name: 'llm-openai' }]);
    s().setGateway({ profile: 'higress', upstream: 'llm-openai' });
    s().setServices([{ kind: 'llm', name: 'llm-openai2' }]);
    expect(s().gateway).toEqual({ profile: 'higress' });
  });

  it('shows a new Run answer in the Diff pane and forgets lab results of a replaced session', () => {
    const info = (sessionId: string) => ({ sessionId, gatewayUrl: '', configJson: '{}', runtime: 'embedded' as const, logs: [] });
    s().setSession(info('s1'), 'h');
    useStore.setState({ diffView: 'effect', effect: {} as never, sequence: {} as never });
    s().setSession(info('s1'), 'h');
    expect(s().effect).not.toBeNull(); // same session: kept
    s().setSession(info('s2'), 'h');
    expect(s()).toMatchObject({ effect: null, sequence: null, diffView: 'exchange' });
    useStore.setState({ diffView: 'effect' });
    s().pushExchange({ request: { method: 'GET', path: '/', headers: [], body: '' }, upstreamRequest: null, upstreamResponse: null, response: { status: 200, headers: [], body: '' }, localReply: false, logs: [], timeline: [], callouts: [] }, 'run');
    expect(s().diffView).toBe('exchange');
  });

  it('keeps saved requests and sends them without blank headers', () => {
    const id = s().addRequest({ name: 'post', method: 'POST', path: 'post', headers: [['a', '1'], ['', '']], body: 'x' });
    expect(s().activeRequestId).toBe(id);
    const r = s().requests.find((q) => q.id === id)!;
    expect(toWire(r)).toEqual({ method: 'POST', path: '/post', headers: [['a', '1']], body: 'x' });
    s().removeRequest(id);
    expect(s().requests).toHaveLength(1);
  });

  it('de-duplicates log lines and filters them', () => {
    const line = { level: 'info' as const, message: 'added header hello: world', time: '2025-01-01T00:00:00Z' };
    s().addLogs([line, { level: 'debug' as const, message: 'detail', time: '2025-01-01T00:00:01Z' }]);
    s().addLogs([line]);
    expect(s().logs).toHaveLength(2);
    expect(visibleLogs(s().logs, 'info', '')).toHaveLength(1);
    expect(visibleLogs(s().logs, 'trace', 'DETAIL')).toHaveLength(1);
  });

  it('keeps the newest MAX_LINES log lines, and de-duplicates against all of them', () => {
    const line = (i: number) => ({ level: 'info' as const, message: `tick ${i}`, time: '2025-01-01T00:00:00Z' });
    for (let i = 0; i < MAX_LINES + 500; i += 100) s().addLogs(Array.from({ length: 100 }, (_, j) => line(i + j)));
    expect(s().logs).toHaveLength(MAX_LINES);
    expect(s().logs[0].message).toBe('tick 500');
    s().addLogs([line(600), line(MAX_LINES + 499)]); // both still listed
    expect(s().logs).toHaveLength(MAX_LINES);
    s().addLogs([line(0)]); // dropped from the list earlier: new again
    expect(s().logs.at(-1)!.message).toBe('tick 0');
    s().clearLogs();
    s().addLogs([line(600)]);
    expect(s().logs.map((l) => l.message)).toEqual(['tick 600']);
  });

  it('records exchanges and persists only the scenario and layout', () => {
    s().pushExchange(
      {
        request: { method: 'GET', path: '/', headers: [], body: '' },
        upstreamRequest: null,
        upstreamResponse: null,
        response: { status: 200, headers: [], body: 'hello world' },
        localReply: true,
        logs: [],
        timeline: [],
        callouts: [],
      },
      'run',
    );
    expect(s().exchanges).toHaveLength(1);
    const saved = persisted(s());
    expect(Object.keys(saved)).not.toContain('exchanges');
    expect(saved.config).toBe('mockEnable: false\n');
  });
});
