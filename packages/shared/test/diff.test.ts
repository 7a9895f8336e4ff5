import { describe, expect, it } from 'vitest';
import { diffExchange, diffHeaders } from '../src/diff.js';
import type { Exchange } from '../src/exchange.js';

const base: Exchange = {
  request: { method: 'GET', path: '/get', headers: [['accept', '*/*'], ['x-drop', '1']], body: '' },
  upstreamRequest: { method: 'GET', path: '/get', headers: [['Accept', 'application/json'], ['hello', 'world']], body: '' },
  upstreamResponse: { status: 200, headers: [['content-type', 'application/json']], body: '{}' },
  response: { status: 200, headers: [['content-type', 'application/json'], ['x-added', 'yes']], body: '{"a":1}' },
  localReply: false,
  logs: [],
  timeline: [],
  callouts: [],
};

describe('diffExchange', () => {
  it('lists headers added, removed and changed (names compared case-insensitively) and body changes', () => {
    const d = diffExchange(base);
    expect(d.request?.headers).toEqual({
      added: [['hello', 'world']],
      removed: [['x-drop', '1']],
      changed: [{ name: 'accept', before: ['*/*'], after: ['application/json'] }],
    });
    expect(d.request?.body.changed).toBe(false);
    expect(d.response?.headers.added).toEqual([['x-added', 'yes']]);
    expect(d.response?.body).toEqual({ changed: true, before: '{}', after: '{"a":1}' });
  });

  it('has no request or response diff for a local reply', () => {
    const d = diffExchange({ ...base, upstreamRequest: null, upstreamResponse: null, localReply: true });
    expect(d).toEqual({ request: null, response: null, localReply: true });
  });

  it('treats a repeated header as one changed value list', () => {
    expect(diffHeaders([['a', '1'], ['a', '2']], [['a', '1']]).changed).toEqual([{ name: 'a', before: ['1', '2'], after: ['1'] }]);
  });
});
