import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Exchange, RunResult, SessionInfo } from '../api/types';

// The server is replaced by promises the test settles itself.
const deferred = <T,>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
const calls = { run: deferred<RunResult>(), effect: deferred<unknown>() };
vi.mock('../api/client', async (orig) => {
  const real = await orig<typeof import('../api/client')>();
  return {
    ...real,
    api: {
      ...real.api,
      health: () => new Promise(() => {}),
      run: () => calls.run.promise,
      pluginEffect: () => calls.effect.promise,
      deleteSession: vi.fn(() => Promise.resolve()),
      example: () => Promise.resolve({ files: { 'main.go': 'package main // example\n' }, config: '', requests: [] }),
    },
  };
});

vi.stubGlobal('window', { location: { pathname: '/', search: '' }, history: { replaceState() {} }, addEventListener() {} });
const { api, ApiFailure } = await import('../api/client');
const { useStore } = await import('./store');
const { sessionHashOf } = await import('./session');
const s = () => useStore.getState();
const { openExample, run, comparePluginOff } = s();

const session = (id: string): SessionInfo => ({ sessionId: id, gatewayUrl: 'http://gw', configJson: '{}', runtime: 'embedded', logs: [] });
const exchange: Exchange = {
  request: { method: 'GET', path: '/', headers: [], body: '' },
  upstreamRequest: null,
  upstreamResponse: null,
  response: { status: 200, headers: [], body: 'old scenario' },
  localReply: true,
  logs: [],
  timeline: [],
  callouts: [],
};

describe('switching scenarios while work is in flight', () => {
  beforeEach(() => {
    calls.run = deferred();
    calls.effect = deferred();
    vi.mocked(api.deleteSession).mockClear();
    s().loadScenario({ files: { 'main.go': 'package main\n' }, config: '', requests: [] }, { kind: 'local', forked: false });
    useStore.setState({ running: false, busy: null });
  });

  it('drops a Run answer that arrives after another example was opened, and ends its orphan session', async () => {
    const running = run();
    expect(s().running).toBe(true);
    expect(await openExample('hello-world')).toBe(true);
    expect(s().running).toBe(false); // Run is free for the new scenario at once
    calls.run.resolve({ build: { ok: true, buildId: 'b1', diagnostics: [] } as never, session: session('old'), exchange });
    await running;
    expect(s().files[0].content).toBe('package main // example\n');
    expect(s().exchanges).toEqual([]);
    expect(s().session).toBeNull();
    expect(s().buildId).toBeNull();
    expect(api.deleteSession).toHaveBeenCalledWith('old');
  });

  it('ends the live session and resets all run output on a switch', async () => {
    useStore.setState({ session: session('live'), sessionHash: 'h', buildId: 'b0', reused: true, lastRunMs: 12 });
    await openExample('hello-world');
    expect(api.deleteSession).toHaveBeenCalledWith('live');
    expect(s()).toMatchObject({ session: null, buildId: null, reused: false, lastRunMs: null });
  });

  it('a lab request that fails forgets the session only if it is still the one it was sent to', async () => {
    const hash = sessionHashOf(s());
    useStore.setState({ session: session('s1'), sessionHash: hash });
    const comparing = comparePluginOff();
    await Promise.resolve();
    expect(s().busy).toBe('effect');
    await run(); // refused while the comparison uses the session
    expect(s().running).toBe(false);
    useStore.setState({ session: session('s2'), sessionHash: hash }); // a newer session took over
    calls.effect.reject(new ApiFailure('not-found', 'session not found', 404));
    await comparing;
    expect(s().session?.sessionId).toBe('s2');
    expect(s().busy).toBeNull();
  });
});

describe('a scenario scope', () => {
  it('answers while its scenario is open; after a switch it fails at once, drops late answers, frees nothing and reports nothing', async () => {
    const { ScenarioScope } = await import('./scenarioScope');
    const ctl = new AbortController();
    const scope = new ScenarioScope(ctl.signal);
    expect(await scope.until(Promise.resolve(1))).toBe(1);
    const late = deferred<number>();
    const waiting = scope.until(late.promise);
    const released = vi.fn();
    const fail = vi.fn();
    const work = scope.work(async (hold) => {
      hold(released);
      await waiting;
    }, fail);
    ctl.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await work;
    late.resolve(2);
    expect(released).not.toHaveBeenCalled();
    expect(fail).not.toHaveBeenCalled();
    await expect(scope.until(Promise.resolve(3))).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('releases what work held and reports its failure while the scenario is open', async () => {
    const { ScenarioScope } = await import('./scenarioScope');
    const scope = new ScenarioScope(new AbortController().signal);
    const released = vi.fn();
    const fail = vi.fn();
    await scope.work(async (hold) => {
      hold(released);
      throw new Error('boom');
    }, fail);
    expect(released).toHaveBeenCalledOnce();
    expect(fail).toHaveBeenCalledWith(new Error('boom'));
  });
});
