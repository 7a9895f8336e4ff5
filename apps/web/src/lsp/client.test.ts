import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Diagnostic } from '../api/types';
import type { IntelligenceView } from '../state/intelligence';
import { LspClient, type LspClientOptions } from './client';

interface Call {
  method: string;
  url: string;
  body: Record<string, unknown> | null;
  signal: AbortSignal | undefined;
  answer: (status: number, body?: unknown) => void;
  fail: () => void;
}

/** A stand-in for fetch: records each call; each answers when the test says so, or fails when its signal aborts. */
function fakeFetch() {
  const calls: Call[] = [];
  const fetch = vi.fn((url: string, init: RequestInit = {}) => {
    return new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? undefined;
      signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      calls.push({
        method: init.method ?? 'GET',
        url,
        body: init.body ? JSON.parse(String(init.body)) : null,
        signal,
        answer: (status, body) =>
          resolve(new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })),
        fail: () => reject(new TypeError('Failed to fetch')),
      });
    });
  });
  /** The calls to a route (DELETEs are answered at once and left out unless asked for). */
  const to = (method: string, suffix: string) => calls.filter((c) => c.method === method && c.url.endsWith(suffix));
  return { fetch, calls, to };
}

const opened = { workspaceId: 'w1', goplsVersion: 'v0.23.0' };
const diag = (message: string, line = 3): Diagnostic => ({ file: 'main.go', line, column: 2, severity: 'error', message });
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('the Go intelligence client', () => {
  let f: ReturnType<typeof fakeFetch>;
  let files: Record<string, string>;
  let enabled: boolean;
  let statuses: IntelligenceView[];
  let shown: (Diagnostic[] | null)[];
  let client: LspClient;
  const make = (extra: Partial<LspClientOptions> = {}) =>
    new LspClient({
      files: () => ({ ...files }),
      enabled: () => enabled,
      onStatus: (v) => statuses.push(v),
      onDiagnostics: (d) => shown.push(d),
      ...extra,
    });
  const edit = (text: string, path = 'main.go') => {
    files[path] = text;
    client.filesChanged();
  };
  /** Opens the workspace with one edit and answers everything; returns once the edit's diagnostics are in. */
  const openWithEdit = async (text = 'package main\n// 1\n') => {
    edit(text);
    await vi.advanceTimersByTimeAsync(300);
    f.to('POST', '/api/lsp')[0].answer(200, opened);
    await settle();
    f.to('POST', '/api/lsp/w1/files').at(-1)!.answer(200, { diagnostics: [], settled: true });
    await settle();
  };

  beforeEach(() => {
    vi.useFakeTimers();
    f = fakeFetch();
    vi.stubGlobal('fetch', f.fetch);
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    files = { 'main.go': 'package main\n', 'go.mod': 'module x\n' };
    enabled = true;
    statuses = [];
    shown = [];
    client = make();
    client.rebase();
  });

  afterEach(() => {
    client.reset();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('opens a workspace at the first edit, 300 ms after it, and sends the edited file with a version', async () => {
    edit('package main\n// a\n');
    await vi.advanceTimersByTimeAsync(200);
    edit('package main\n// ab\n');
    await vi.advanceTimersByTimeAsync(299);
    expect(f.calls).toHaveLength(0); // still typing
    await vi.advanceTimersByTimeAsync(1);
    expect(f.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /api/lsp']);
    expect(f.calls[0].body).toEqual({ files: { 'main.go': 'package main\n// ab\n', 'go.mod': 'module x\n' } });
    expect(statuses.at(-1)).toEqual({ state: 'starting' });
    f.calls[0].answer(200, opened);
    await settle();
    const change = f.to('POST', '/api/lsp/w1/files');
    expect(change).toHaveLength(1);
    expect(change[0].body).toEqual({ path: 'main.go', text: 'package main\n// ab\n', version: 1 });
    change[0].answer(200, { diagnostics: [diag('undefined: x')], settled: true });
    await settle();
    expect(shown).toEqual([[diag('undefined: x')]]);
    expect(statuses.at(-1)).toEqual({ state: 'on', gopls: 'v0.23.0' });

    // The next pause in typing: one change with the latest text, the next version; no new workspace.
    edit('package main\n// abc\n');
    await vi.advanceTimersByTimeAsync(100);
    edit('package main\n// abcd\n');
    await vi.advanceTimersByTimeAsync(300);
    expect(f.to('POST', '/api/lsp')).toHaveLength(1);
    expect(f.to('POST', '/api/lsp/w1/files').map((c) => c.body)).toEqual([
      { path: 'main.go', text: 'package main\n// ab\n', version: 1 },
      { path: 'main.go', text: 'package main\n// abcd\n', version: 2 },
    ]);
  });

  it('sends a deleted file as text null, and a new one with its text, each with its own version', async () => {
    await openWithEdit();
    delete files['go.mod'];
    files['util.go'] = 'package main\n';
    client.filesChanged();
    await vi.advanceTimersByTimeAsync(300);
    const sent = f.to('POST', '/api/lsp/w1/files').slice(1).map((c) => c.body);
    expect(sent).toEqual(
      expect.arrayContaining([
        { path: 'go.mod', text: null, version: 1 },
        { path: 'util.go', text: 'package main\n', version: 1 },
      ]),
    );
  });

  it("a request carries the file's text only when it changed since the server last had it", async () => {
    await openWithEdit('package main\n// 1\n');
    const at = { path: 'main.go', line: 2, column: 3 };

    const same = client.request('hover', at, 'package main\n// 1\n');
    await settle();
    const hover = f.to('POST', '/api/lsp/w1/hover');
    expect(hover[0].body).toEqual(at);
    hover[0].answer(200, { hover: { markdown: 'doc' } });
    expect(await same).toEqual({ hover: { markdown: 'doc' } });

    // Typed `proxywasm.` and asked for completion before the debounced edit went out.
    const typed = 'package main\n// 1\nproxywasm.';
    const completion = client.request('completion', { path: 'main.go', line: 3, column: 11 }, typed);
    await settle();
    const c = f.to('POST', '/api/lsp/w1/completion');
    expect(c[0].body).toEqual({ path: 'main.go', line: 3, column: 11, text: typed });
    c[0].answer(200, { items: [{ label: 'AddHttpRequestHeader', kind: 'function', insertText: 'AddHttpRequestHeader', snippet: false }], incomplete: false });
    expect((await completion)?.items[0].label).toBe('AddHttpRequestHeader');

    const again = client.request('signature', { path: 'main.go', line: 3, column: 11 }, typed);
    await settle();
    expect(f.to('POST', '/api/lsp/w1/signature')[0].body).toEqual({ path: 'main.go', line: 3, column: 11 });
    f.to('POST', '/api/lsp/w1/signature')[0].answer(200, { signature: null });
    expect(await again).toEqual({ signature: null });
  });

  it('sends the file again when an edit and a request carrying its text crossed on the way', async () => {
    await openWithEdit('package main\n// 1\n');
    edit('package main\n// 12\n');
    await vi.advanceTimersByTimeAsync(300); // the change (version 2) is in flight
    const typed = 'package main\n// 123\n';
    files['main.go'] = typed; // typed on; the store's change would be debounced too
    const hover = client.request('hover', { path: 'main.go', line: 2, column: 3 }, typed);
    await settle();
    f.to('POST', '/api/lsp/w1/hover')[0].answer(200, { hover: null });
    await hover;
    f.to('POST', '/api/lsp/w1/files')[1].answer(200, { diagnostics: [], settled: true });
    await settle();
    // Either may have reached the server last: the latest text goes again, with a newer version.
    await vi.advanceTimersByTimeAsync(300);
    expect(f.to('POST', '/api/lsp/w1/files').at(-1)!.body).toEqual({ path: 'main.go', text: typed, version: 3 });
  });

  it('answers to older edits do not replace the diagnostics of newer ones', async () => {
    await openWithEdit();
    edit('package main\n// 2\n');
    await vi.advanceTimersByTimeAsync(300);
    edit('package main\n// 3\n');
    await vi.advanceTimersByTimeAsync(300);
    const [, older, newer] = f.to('POST', '/api/lsp/w1/files');
    newer.answer(200, { diagnostics: [diag('newer')], settled: true });
    await settle();
    older.answer(200, { diagnostics: [diag('older')], settled: true });
    await settle();
    expect(shown.at(-1)).toEqual([diag('newer')]);
  });

  it('asks for the diagnostics again when the server answered before gopls had them', async () => {
    client = make({ followUpMs: [1000] });
    client.rebase();
    edit('package main\nvar x int = "s"\n');
    await vi.advanceTimersByTimeAsync(300);
    f.to('POST', '/api/lsp')[0].answer(200, opened);
    await settle();
    f.to('POST', '/api/lsp/w1/files')[0].answer(200, { diagnostics: [], settled: false });
    await vi.advanceTimersByTimeAsync(1000);
    const get = f.to('GET', '/api/lsp/w1/diagnostics');
    expect(get).toHaveLength(1);
    get[0].answer(200, { diagnostics: [diag('cannot use "s"', 2)], settled: true });
    await settle();
    expect(shown.at(-1)).toEqual([diag('cannot use "s"', 2)]);
  });

  it('never opens a workspace when the server does not offer intelligence', async () => {
    enabled = false;
    edit('package main\n// a\n');
    await vi.advanceTimersByTimeAsync(1000);
    expect(await client.request('completion', { path: 'main.go', line: 1, column: 1 }, 'package main\n')).toBeNull();
    expect(f.calls).toHaveLength(0);
  });

  it('an LspOff answer (a crash, a cap) turns intelligence off with its reason, for good on this scenario', async () => {
    await openWithEdit();
    shown = [];
    edit('package main\n// 2\n');
    await vi.advanceTimersByTimeAsync(300);
    f.to('POST', '/api/lsp/w1/files')[1].answer(200, { off: 'gopls used 1100 MiB, over its 1024 MiB cap', cause: 'memory', retry: false });
    await settle();
    expect(statuses.at(-1)).toEqual({ state: 'off', note: 'gopls used 1100 MiB, over its 1024 MiB cap', retry: false, gopls: 'v0.23.0' });
    expect(shown).toEqual([null]); // its markers go
    expect(f.to('DELETE', '/api/lsp/w1')).toHaveLength(1);

    // Nothing more is asked of the server: requests answer nothing, edits are not sent.
    const before = f.calls.length;
    expect(await client.request('hover', { path: 'main.go', line: 1, column: 1 }, files['main.go'])).toBeNull();
    edit('package main\n// 3\n');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(f.calls.length).toBe(before);

    // Another scenario: intelligence may work for it.
    client.reset();
    expect(statuses.at(-1)).toEqual({ state: 'idle' });
    edit('package main\n// other\n');
    await vi.advanceTimersByTimeAsync(300);
    expect(f.to('POST', '/api/lsp')).toHaveLength(2);
  });

  it('after idle time or an eviction (retry) the next need opens a new workspace', async () => {
    await openWithEdit();
    const hover = client.request('hover', { path: 'main.go', line: 1, column: 1 });
    await settle();
    f.to('POST', '/api/lsp/w1/hover')[0].answer(200, { off: 'Go intelligence stopped after 10 min without use', cause: 'idle', retry: true });
    expect(await hover).toBeNull();
    expect(statuses.at(-1)).toMatchObject({ state: 'off', retry: true });

    await vi.advanceTimersByTimeAsync(10_000);
    const next = client.request('hover', { path: 'main.go', line: 1, column: 1 });
    await settle();
    expect(f.to('POST', '/api/lsp')).toHaveLength(2);
    f.to('POST', '/api/lsp')[1].answer(200, { workspaceId: 'w2', goplsVersion: 'v0.23.0' });
    await settle();
    f.to('POST', '/api/lsp/w2/hover')[0].answer(200, { hover: { markdown: 'back' } });
    expect(await next).toEqual({ hover: { markdown: 'back' } });
    expect(statuses.at(-1)).toEqual({ state: 'on', gopls: 'v0.23.0' });
  });

  it('an open answered "unavailable" never tries again, not even for another scenario', async () => {
    edit('package main\n// a\n');
    await vi.advanceTimersByTimeAsync(300);
    f.to('POST', '/api/lsp')[0].answer(200, { off: 'gopls is not installed', cause: 'unavailable', retry: false });
    await settle();
    expect(statuses.at(-1)).toMatchObject({ state: 'off', note: 'gopls is not installed', retry: false });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await client.request('hover', { path: 'main.go', line: 1, column: 1 })).toBeNull();
    client.reset();
    expect(statuses.at(-1)).toMatchObject({ state: 'off', note: 'gopls is not installed' });
    edit('package main\n// b\n');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f.calls).toHaveLength(1);
  });

  it('timeouts, failures and errors answer nothing and never throw; a workspace the server forgot is opened again', async () => {
    client = make({ timeouts: { request: 1000, starting: 1000 } });
    client.rebase();
    await openWithEdit();
    const at = { path: 'main.go', line: 1, column: 1 };

    const slow = client.request('completion', at);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await slow).toBeNull();
    expect(f.to('POST', '/api/lsp/w1/completion')[0].signal?.aborted).toBe(true);

    const broken = client.request('hover', at);
    await settle();
    f.to('POST', '/api/lsp/w1/hover')[0].fail();
    expect(await broken).toBeNull();

    const failing = client.request('hover', at);
    await settle();
    f.to('POST', '/api/lsp/w1/hover')[1].answer(500, { error: 'boom' });
    expect(await failing).toBeNull();
    expect(statuses.at(-1)).toEqual({ state: 'on', gopls: 'v0.23.0' });

    const gone = client.request('hover', at);
    await settle();
    f.to('POST', '/api/lsp/w1/hover')[2].answer(404, { error: 'no Go intelligence workspace "w1"' });
    expect(await gone).toBeNull();
    const reopened = client.request('hover', at);
    await settle();
    expect(f.to('POST', '/api/lsp')).toHaveLength(2);
    f.to('POST', '/api/lsp')[1].answer(200, { workspaceId: 'w2', goplsVersion: 'v0.23.0' });
    await settle();
    f.to('POST', '/api/lsp/w2/hover')[0].answer(200, { hover: null });
    expect(await reopened).toEqual({ hover: null });
  });

  it('a request cancelled by the editor answers nothing', async () => {
    await openWithEdit();
    const ctl = new AbortController();
    const pending = client.request('completion', { path: 'main.go', line: 1, column: 1 }, undefined, ctl.signal);
    await settle();
    ctl.abort();
    expect(await pending).toBeNull();
    expect(f.to('POST', '/api/lsp/w1/completion')[0].signal?.aborted).toBe(true);
  });

  it('another scenario: the workspace is deleted, answers for the old one are dropped, the next need opens one on the new files', async () => {
    await openWithEdit();
    const late = client.request('hover', { path: 'main.go', line: 1, column: 1 });
    await settle();
    client.reset();
    expect(f.to('DELETE', '/api/lsp/w1')).toHaveLength(1);
    expect(await late).toBeNull();
    expect(shown.at(-1)).toBeNull();

    files = { 'main.go': 'package main\n// the other scenario\n' };
    client.rebase(); // a load is not an edit
    await vi.advanceTimersByTimeAsync(1000);
    expect(f.to('POST', '/api/lsp')).toHaveLength(1);

    const next = client.request('hover', { path: 'main.go', line: 1, column: 1 }, files['main.go']);
    await settle();
    const open = f.to('POST', '/api/lsp')[1];
    expect(open.body).toEqual({ files: { 'main.go': 'package main\n// the other scenario\n' } });
    open.answer(200, { workspaceId: 'w2', goplsVersion: 'v0.23.0' });
    await settle();
    expect(f.to('POST', '/api/lsp/w2/hover')[0].body).toEqual({ path: 'main.go', line: 1, column: 1 });
    f.to('POST', '/api/lsp/w2/hover')[0].answer(200, { hover: null });
    await next;
  });

  it('a workspace opened for a scenario that is gone meanwhile is deleted', async () => {
    edit('package main\n// a\n');
    await vi.advanceTimersByTimeAsync(300);
    client.reset();
    f.to('POST', '/api/lsp')[0].answer(200, opened);
    await settle();
    expect(f.to('DELETE', '/api/lsp/w1')).toHaveLength(1);
    expect(client.workspaceId).toBeNull();
  });
});
