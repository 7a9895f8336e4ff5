import { describe, expect, it } from 'vitest';
import { evaluateExpectation, type CheckedExchange } from '../src/tour.js';

const ex: CheckedExchange = {
  response: { status: 200, headers: [['x-a', '1'], ['x-a', '2']], body: 'hello sk-123' },
  upstreamRequest: { headers: [['x-up', 'yes']], body: '{"a":1}' },
  localReply: false,
  logs: [{ message: 'greeted /get' }],
  notes: [{ code: 'stale_content_length' }],
};

describe('evaluateExpectation', () => {
  it('passes when every field holds, joining repeated headers', () => {
    expect(evaluateExpectation({ description: 'd', request: 0, status: 200, responseHeader: { name: 'X-A', value: '1, 2' }, upstreamHeader: { name: 'x-up' }, bodyIncludes: 'hello', logIncludes: 'greeted' }, ex)).toEqual({ passed: true });
  });

  it('says what was seen instead, with the gateway notes', () => {
    const r = evaluateExpectation({ description: 'd', request: 0, status: 201, bodyExcludes: 'sk-123', upstreamHeader: { name: 'x-up', absent: true } }, ex);
    expect(r).toEqual({ passed: false, seen: 'status 200; the upstream request has x-up: yes; the response body still contains "sk-123" (the gateway noted: stale_content_length)' });
  });

  it('a request never sent, or a request that never reached the upstream, fails clearly', () => {
    expect(evaluateExpectation({ description: 'd', request: 3 }, undefined)).toEqual({ passed: false, seen: 'request 4 was not sent' });
    expect(evaluateExpectation({ description: 'd', request: 0, upstreamBodyIncludes: 'x' }, { ...ex, upstreamRequest: null, notes: [] })).toEqual({ passed: false, seen: 'the request never reached the upstream' });
  });
});
