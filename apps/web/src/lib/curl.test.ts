import { describe, expect, it } from 'vitest';
import { curlLine, shellQuote } from './curl';

describe('curlLine', () => {
  it('makes a plain GET', () => {
    expect(curlLine('http://127.0.0.1:4000/', { method: 'GET', path: '/get', headers: [['accept', '*/*']], body: '' })).toBe(
      "curl -i http://127.0.0.1:4000/get -H 'accept: */*'",
    );
  });
  it('adds the method and quotes bodies with single quotes', () => {
    expect(
      curlLine('http://h:1', { method: 'post', path: "/p?a=1&b=it's", headers: [['content-type', 'application/json'], ['', 'x']], body: '{"a": 1}' }),
    ).toBe(`curl -i -X POST 'http://h:1/p?a=1&b=it'\\''s' -H 'content-type: application/json' --data-raw '{"a": 1}'`);
  });
  it('quotes only when needed', () => {
    expect(shellQuote('abc-1.2/x')).toBe('abc-1.2/x');
    expect(shellQuote('a b')).toBe("'a b'");
  });
});
