import { describe, expect, it } from 'vitest';
import type { Exchange } from '../api/types';
import { exchangeFacts } from './ExchangeNotes';

const ex = (over: Partial<Exchange>): Exchange => ({
  request: { method: 'GET', path: '/', headers: [], body: '' },
  upstreamRequest: null,
  upstreamResponse: null,
  response: { status: 200, headers: [], body: 'hello world' },
  localReply: true,
  logs: [],
  timeline: [],
  callouts: [],
  ...over,
});

describe('exchangeFacts', () => {
  it("says Envoy's response details when there are some, and leaves empty ones out", () => {
    expect(exchangeFacts(ex({ profile: 'higress', worker: 0, responseCodeDetails: 'via_upstream' }))).toEqual(['higress gateway', 'worker 0', 'response details: via_upstream']);
    expect(exchangeFacts(ex({ profile: 'higress', worker: 1, responseCodeDetails: '' }))).toEqual(['higress gateway', 'worker 1']);
  });
});
