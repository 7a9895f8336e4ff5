import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Health } from '../api/types';
import { intelligenceNote } from '../state/intelligence';
import { useStore } from '../state/store';
import { connectIntelligence, type Connected } from './connect';

const s = () => useStore.getState();
const health = (intelligence: Health['intelligence']) => ({ ok: true, intelligence }) as unknown as Health;

/** A stand-in for fetch answering every call at once: a workspace per open, empty diagnostics per edit. */
function fakeServer() {
  const calls: { method: string; url: string; body: { files?: Record<string, string>; path?: string; text?: string | null } | null }[] = [];
  let n = 0;
  const fetch = vi.fn(async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    calls.push({ method, url, body: init.body ? JSON.parse(String(init.body)) : null });
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    if (method === 'DELETE') return new Response(null, { status: 204 });
    if (url === '/api/lsp') return json({ workspaceId: `w${++n}`, goplsVersion: 'v0.23.0' });
    return json({ diagnostics: [], settled: true });
  });
  return { fetch, calls, opens: () => calls.filter((c) => c.method === 'POST' && c.url === '/api/lsp') };
}

describe('Go intelligence bound to the store', () => {
  let server: ReturnType<typeof fakeServer>;
  let connected: Connected;

  beforeEach(() => {
    vi.useFakeTimers();
    server = fakeServer();
    vi.stubGlobal('fetch', server.fetch);
    s().loadScenario({ files: { 'main.go': 'package main\n' }, config: '', requests: [] }, { kind: 'local', forked: false });
    useStore.setState({ health: health({ available: true, gopls: 'v0.23.0', running: 0, max: 4 }), intelligence: { state: 'idle' } });
    connected = connectIntelligence(() => {});
  });

  afterEach(() => {
    connected.stop();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('opens a workspace on the first edit and shows "on" once gopls answered', async () => {
    expect(intelligenceNote(s().health, s().intelligence)).toMatchObject({ state: 'on', text: 'on' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.calls).toHaveLength(0); // nothing asked for yet
    s().setFileContent('main.go', 'package main\n// typed\n');
    await vi.advanceTimersByTimeAsync(300);
    expect(server.opens()[0].body).toEqual({ files: { 'main.go': 'package main\n// typed\n' } });
    expect(s().intelligence).toEqual({ state: 'on', gopls: 'v0.23.0' });
  });

  it('opening another scenario deletes the workspace; its files are not an edit; the next edit opens one on them', async () => {
    s().setFileContent('main.go', 'package main\n// typed\n');
    await vi.advanceTimersByTimeAsync(300);
    s().openScenario(() => s().loadScenario({ files: { 'main.go': 'package main\n// example\n' }, config: '', requests: [] }, { kind: 'example', id: 'x', forked: false }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/lsp/w1']);
    expect(server.opens()).toHaveLength(1);
    expect(s().intelligence.state).toBe('idle');

    s().setFileContent('main.go', 'package main\n// example, edited\n');
    await vi.advanceTimersByTimeAsync(300);
    expect(server.opens()[1].body).toEqual({ files: { 'main.go': 'package main\n// example, edited\n' } });
    const edits = server.calls.filter((c) => c.url === '/api/lsp/w2/files');
    expect(edits.map((c) => c.body)).toEqual([{ path: 'main.go', text: 'package main\n// example, edited\n', version: 1 }]);

    // And again: the scenario's signal is followed from one scenario to the next.
    s().openScenario(() => s().loadScenario({ files: { 'main.go': 'package main\n' }, config: '', requests: [] }, { kind: 'local', forked: false }));
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/lsp/w1', '/api/lsp/w2']);
  });

  it('never opens a workspace when /api/health says intelligence is unavailable, and says why', async () => {
    useStore.setState({ health: health({ available: false, reason: 'gopls is not installed' }) });
    s().setFileContent('main.go', 'package main\n// typed\n');
    await vi.advanceTimersByTimeAsync(2000);
    expect(await connected.client.request('hover', { path: 'main.go', line: 1, column: 1 }, 'package main\n')).toBeNull();
    expect(server.calls).toHaveLength(0);
    expect(intelligenceNote(s().health, s().intelligence)).toMatchObject({ state: 'off', text: 'off (gopls is not installed)' });
  });

  it('an old server without intelligence in its health: off, nothing asked', async () => {
    useStore.setState({ health: health(undefined) });
    s().setFileContent('main.go', 'package main\n// typed\n');
    await vi.advanceTimersByTimeAsync(2000);
    expect(server.calls).toHaveLength(0);
    expect(intelligenceNote(s().health, s().intelligence)?.state).toBe('off');
  });
});

describe('the note beside the tabs', () => {
  const h = health({ available: true, gopls: 'v0.23.0' });
  it('says on, starting, or off with the reason', () => {
    expect(intelligenceNote(null, { state: 'idle' })).toBeNull();
    expect(intelligenceNote(h, { state: 'starting' })?.text).toBe('starting…');
    expect(intelligenceNote(h, { state: 'on', gopls: 'v0.23.0' })?.title).toMatch(/gopls v0\.23\.0/);
    expect(intelligenceNote(h, { state: 'off', note: 'gopls stopped unexpectedly', retry: false })?.text).toBe('off (gopls stopped unexpectedly)');
    expect(intelligenceNote(h, { state: 'off', note: 'stopped after 10 min without use', retry: true })?.text).toMatch(/back when you type/);
  });
});
