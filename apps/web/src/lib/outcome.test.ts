import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../api/client';
import type { Exchange, RunResult } from '../api/types';
import { exchangeOutcome, failureOutcome, runOutcome } from './outcome';

const ex = (over: Partial<Exchange> = {}): Exchange => ({
  request: { method: 'GET', path: '/get', headers: [], body: '' },
  upstreamRequest: { method: 'GET', path: '/get', headers: [['hello', 'world']], body: '' },
  upstreamResponse: { status: 200, headers: [], body: '{}' },
  response: { status: 200, headers: [], body: '{}' },
  localReply: false,
  logs: [],
  timeline: [],
  callouts: [],
  ...over,
});
const okBuild = { ok: true as const, buildId: 'b', cached: false, durationMs: 1, wasmBytes: 1, output: '', diagnostics: [] };

describe('outcomes', () => {
  it('build errors', () => {
    const res: RunResult = {
      build: { ok: false, output: '', diagnostics: [{ file: 'main.go', line: 1, column: 1, message: 'x', severity: 'error' }] },
      session: null,
      exchange: null,
    };
    expect(runOutcome(res)).toMatchObject({ kind: 'build-error', pane: 'build' });
  });
  it('a normal exchange and a local reply', () => {
    expect(exchangeOutcome(ex()).kind).toBe('ok');
    expect(exchangeOutcome(ex({ localReply: true, upstreamRequest: null, upstreamResponse: null })).kind).toBe('local-reply');
  });
  it('upstream down, crash and timeout', () => {
    expect(exchangeOutcome(ex({ upstreamResponse: null, response: { status: 503, headers: [], body: 'upstream connect error' } })).kind).toBe('upstream-down');
    expect(exchangeOutcome(ex({ upstreamResponse: null, error: 'upstream connect error: ECONNREFUSED' })).kind).toBe('upstream-down');
    expect(exchangeOutcome(ex({ error: 'wasm trap: unreachable (panic: boom)', localReply: true, response: { status: 503, headers: [], body: '' } })).kind).toBe('plugin-crash');
    expect(exchangeOutcome(ex({ error: 'a plugin callback ran longer than 1000 ms (endless loop?): the VM was terminated' })).kind).toBe('plugin-timeout');
  });
  it('a panic the SDK recovered from', () => {
    const o = exchangeOutcome(
      ex({ logs: [{ level: 'error', time: 't', message: '[p] [nil] [id] recovered from panic assignment to entry in nil map, stack: goroutine 1\nmain.onHttpRequestHeaders()\n\tplayground/plugin/main.go:37 +0x2' }] }),
    );
    expect(o).toMatchObject({ kind: 'plugin-crash', title: 'Your plugin panicked', pane: 'logs', file: 'main.go', line: 37 });
    expect(o.detail).toMatch(/^panic: assignment to entry in nil map \(at main.go:37\)\n/);
  });
  it('config rejected and invalid YAML from the run', () => {
    expect(runOutcome({ build: okBuild, session: null, exchange: null, error: { error: 'the plugin rejected its configuration (proxy_on_configure returned false)', logs: [] } }).kind).toBe('config-rejected');
    expect(runOutcome({ build: okBuild, session: null, exchange: null, error: { error: 'config.yaml line 2, column 3: bad', line: 2, column: 3 } })).toMatchObject({
      kind: 'invalid-yaml',
      line: 2,
      detail: 'Line 2, column 3: bad',
    });
  });
  it('failures of the HTTP call', () => {
    expect(failureOutcome(new ApiFailure('unreachable', 'x')).kind).toBe('unreachable');
    expect(failureOutcome(new ApiFailure('http', 'rejected', 422, { error: 'rejected', logs: [] })).kind).toBe('config-rejected');
    expect(failureOutcome(new ApiFailure('http', 'bad yaml', 422, { error: 'bad yaml', line: 1, column: 2 })).kind).toBe('invalid-yaml');
    expect(failureOutcome(new ApiFailure('http', 'wasm trap: unreachable', 500, null)).kind).toBe('plugin-crash');
  });
});
