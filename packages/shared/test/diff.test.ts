import { describe, expect, it } from 'vitest';
import { compareHeaders, diffExchange, diffHeaders } from '../src/diff.js';
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

describe('compareHeaders', () => {
  it('lists every name once, with its values on each side and what happened to it', () => {
    expect(compareHeaders([['Accept', '*/*'], ['x-drop', '1'], ['via', 'a'], ['via', 'b']], [['accept', '*/*'], ['Via', 'b'], ['Via', 'a'], ['hello', 'world']])).toEqual([
      { name: 'Accept', kind: 'same', before: ['*/*'], after: ['*/*'] },
      { name: 'x-drop', kind: 'removed', before: ['1'], after: [] },
      { name: 'via', kind: 'changed', before: ['a', 'b'], after: ['b', 'a'] },
      { name: 'hello', kind: 'added', before: [], after: ['world'] },
    ]);
  });

  it('is what diffHeaders reports, by lower-cased name, changed names in the order of the second list', () => {
    expect(diffHeaders([['A', '1'], ['B', '1'], ['C', '1']], [['c', '2'], ['b', '2'], ['D', 'x'], ['D', 'y']])).toEqual({
      added: [['d', 'x'], ['d', 'y']],
      removed: [['a', '1']],
      changed: [
        { name: 'c', before: ['1'], after: ['2'] },
        { name: 'b', before: ['1'], after: ['2'] },
      ],
    });
  });
});
