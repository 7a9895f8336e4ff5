import { describe, expect, it } from 'vitest';
import { applyResponseEvent, isResponseEvent, type StreamedResponse } from './streamedResponse';

describe('applyResponseEvent', () => {
  it('shows the headers, then appends each chunk and counts it', () => {
    let r: StreamedResponse | null = null;
    r = applyResponseEvent(r, { type: 'headers', status: 200, headers: [['content-type', 'text/event-stream']], atMs: 3 });
    expect(r).toMatchObject({ status: 200, body: '', chunks: 0, ended: false });
    r = applyResponseEvent(r, { type: 'data', body: 'data: {"a":1}\n\n', bytes: 15, atMs: 10 });
    r = applyResponseEvent(r, { type: 'data', body: { base64: 'AAE=' }, bytes: 2, atMs: 20 });
    r = applyResponseEvent(r, { type: 'data', body: 'data: [DONE]\n\n', bytes: 14, atMs: 30 });
    expect(r).toMatchObject({ body: 'data: {"a":1}\n\ndata: [DONE]\n\n', chunks: 3, bytes: 31, ended: false });
    expect(applyResponseEvent(r, { type: 'end', atMs: 31 }).ended).toBe(true);
  });

  it('records a reset', () => {
    expect(applyResponseEvent(null, { type: 'reset', reason: 'upstream reset', atMs: 1 })).toMatchObject({ status: null, ended: true, reset: 'upstream reset' });
  });

  it('tells response events from the others', () => {
    expect(isResponseEvent({ type: 'data' })).toBe(true);
    expect(isResponseEvent({ type: 'result' })).toBe(false);
  });
});
