import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { looksBuildable } from './speculative';
import { useStore } from './store';

const s = () => useStore.getState();

/** A stand-in for fetch: records each call; each answers when the test says so, or fails when its signal aborts. */
function fakeFetch() {
  const calls: { url: string; body: { files: Record<string, string> }; signal: AbortSignal; answer: (status: number, body: unknown) => void }[] = [];
  const fetch = vi.fn((url: string, init: RequestInit) => {
    return new Promise<Response>((resolve, reject) => {
      const signal = init.signal!;
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      calls.push({
        url,
        body: JSON.parse(String(init.body)),
        signal,
        answer: (status, body) => resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })),
      });
    });
  });
  return { fetch, calls };
}

const built = { ok: true, buildId: 'b1', cached: false, durationMs: 10, wasmSize: 1, diagnostics: [] };

describe('speculative builds', () => {
  let f: ReturnType<typeof fakeFetch>;
  let stop: () => void;

  beforeEach(() => {
    vi.useFakeTimers();
    f = fakeFetch();
    vi.stubGlobal('fetch', f.fetch);
    s().loadScenario({ files: { 'main.go': 'package main\n' }, config: '', requests: [] }, { kind: 'local', forked: false });
    useStore.setState({ running: false, notice: null });
    stop = s().watchSourcesForSpeculativeBuilds();
  });

  afterEach(() => {
    stop();
    s().cancelSpeculativeBuild();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  const type = (text: string) => s().setFileContent('main.go', `package main\n${text}\n`);

  it('builds 1 s after the last edit, with ?speculative=1 and the files', async () => {
    type('// a');
    await vi.advanceTimersByTimeAsync(600);
    type('// ab');
    await vi.advanceTimersByTimeAsync(999);
    expect(f.calls).toHaveLength(0); // still typing
    await vi.advanceTimersByTimeAsync(1);
    expect(f.calls).toHaveLength(1);
    expect(f.calls[0].url).toBe('/api/build?speculative=1');
    expect(f.calls[0].body).toEqual({ files: { 'main.go': 'package main\n// ab\n' } });
    f.calls[0].answer(200, built);
    await vi.advanceTimersByTimeAsync(0);
    expect(s().speculative.state).toBe('built');
  });

  it('cancels the build in flight when the sources change again, and builds the new ones', async () => {
    type('// one');
    await vi.advanceTimersByTimeAsync(1000);
    expect(f.calls).toHaveLength(1);
    type('// two');
    expect(f.calls[0].signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(f.calls).toHaveLength(2);
    expect(f.calls[1].body.files['main.go']).toContain('// two');
    expect(f.calls[1].signal.aborted).toBe(false);
  });

  it('cancels the build in flight, and one about to start, when Run is pressed', async () => {
    type('// one');
    await vi.advanceTimersByTimeAsync(1000);
    s().setRunning(true);
    expect(f.calls[0].signal.aborted).toBe(true);
    s().setRunning(false);
    type('// two');
    await vi.advanceTimersByTimeAsync(500);
    s().setRunning(true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(f.calls).toHaveLength(1); // the pending one never started
  });

  it('does not build while a Run is building, nor sources that fail the local checks', async () => {
    s().setRunning(true);
    type('// while running');
    await vi.advanceTimersByTimeAsync(1500);
    s().setRunning(false);
    s().setFileContent('main.go', '// no package clause\n');
    await vi.advanceTimersByTimeAsync(1500);
    expect(f.calls).toHaveLength(0);
  });

  it('never reports its failures or refusals, and asks again only for sources not built yet', async () => {
    const outcome = s().outcome;
    type('// x');
    await vi.advanceTimersByTimeAsync(1000);
    f.calls[0].answer(500, { error: 'boom' });
    await vi.advanceTimersByTimeAsync(0);
    expect(s().speculative.state).toBe('failed');
    type('// y');
    await vi.advanceTimersByTimeAsync(1000);
    f.calls[1].answer(202, { skipped: 'the build queue is busy' });
    await vi.advanceTimersByTimeAsync(0);
    expect(s().speculative.state).toBe('skipped');
    expect(s().notice).toBeNull();
    expect(s().outcome).toBe(outcome);
    type('// z');
    await vi.advanceTimersByTimeAsync(1000);
    f.calls[2].answer(200, built);
    await vi.advanceTimersByTimeAsync(0);
    // Back to sources the server has built: nothing to ask; to skipped ones: asked again.
    type('// y');
    await vi.advanceTimersByTimeAsync(1000);
    type('// z');
    await vi.advanceTimersByTimeAsync(1000);
    expect(f.calls.map((c) => c.body.files['main.go'].split('\n')[1])).toEqual(['// x', '// y', '// z', '// y']);
  });
});

describe('looksBuildable', () => {
  it('wants main.go of package main, a package clause in every Go file, and allowed paths', () => {
    expect(looksBuildable({ 'main.go': '// doc\npackage main\n', 'lib/a.go': 'package lib\n', 'data.json': '{}' })).toBe(true);
    expect(looksBuildable({ 'main.go': 'package lib\n' })).toBe(false);
    expect(looksBuildable({ 'a.go': 'package main\n' })).toBe(false);
    expect(looksBuildable({ 'main.go': 'package main\n', 'lib/a.go': 'func x() {}\n' })).toBe(false);
    expect(looksBuildable({ 'main.go': 'package main\n', '../x.go': 'package main\n' })).toBe(false);
  });
});
