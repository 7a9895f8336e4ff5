import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure, api } from './client';
import type { RunRequestInput } from './types';

const req: RunRequestInput = { files: { 'main.go': 'package main\n' }, config: '', runtime: 'embedded', request: { method: 'GET', path: '/get', headers: [], body: '' } };
const build = { ok: true, buildId: 'b1', cached: true, durationMs: 1, wasmBytes: 1, output: '', diagnostics: [] };

/** fetch answering NDJSON in these pieces. */
function answer(pieces: string[], init: ResponseInit = { status: 200, headers: { 'content-type': 'application/x-ndjson' } }) {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of pieces) controller.enqueue(new TextEncoder().encode(p));
      controller.close();
    },
  });
  vi.stubGlobal('fetch', vi.fn(async () => new Response(stream, init)));
}

const line = (e: unknown) => `${JSON.stringify(e)}\n`;

afterEach(() => vi.unstubAllGlobals());

describe('api.run (streamed)', () => {
  it('hands over the events as they come and answers the result', async () => {
    const result = { build, session: null, exchange: null };
    const whole = line({ type: 'build', build }) + line({ type: 'headers', status: 200, headers: [], atMs: 1 }) + line({ type: 'result', status: 200, result });
    answer([whole.slice(0, 30), whole.slice(30, 95), whole.slice(95)]);
    const seen: string[] = [];
    expect(await api.run(req, (e) => seen.push(e.type))).toEqual(result);
    expect(seen).toEqual(['build', 'headers', 'result']);
  });

  it('throws an error event as the ApiFailure of its status', async () => {
    answer([line({ type: 'build', build }), line({ type: 'error', status: 404, error: 'no live session "s1"' })]);
    const err = await api.run(req, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect(err).toMatchObject({ kind: 'not-found', status: 404, message: 'no live session "s1"' });
  });

  it('throws a result with a failing status as the plain route would have failed', async () => {
    const result = { build, session: null, exchange: null, error: { error: 'the server is running its maximum of 4 sessions', stage: 'limit' } };
    answer([line({ type: 'result', status: 429, result })]);
    await expect(api.run(req, () => {})).rejects.toMatchObject({ kind: 'http', status: 429, message: 'the server is running its maximum of 4 sessions', body: { stage: 'limit' } });
  });

  it('fails when the stream ends before the result, and keeps refusals before the stream', async () => {
    answer([line({ type: 'build', build })]);
    await expect(api.run(req, () => {})).rejects.toThrow(/before sending the result/);
    answer(['{"error":"request body is not valid JSON"}'], { status: 400, headers: { 'content-type': 'application/json' } });
    await expect(api.run(req, () => {})).rejects.toMatchObject({ status: 400, message: 'request body is not valid JSON' });
  });
});
