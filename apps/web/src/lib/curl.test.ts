import { describe, expect, it } from 'vitest';
import { curlLine, gatewayBase, shellQuote } from './curl';

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

describe('gatewayBase', () => {
  const origin = 'https://play.example.com';
  it("uses the session's gateway on the page's origin", () => {
    expect(gatewayBase({ gatewayUrl: 'http://127.0.0.1:41234', gatewayPath: '/gw/s-1' }, origin)).toBe('https://play.example.com/gw/s-1');
    expect(
      curlLine(gatewayBase({ gatewayUrl: 'http://127.0.0.1:41234', gatewayPath: '/gw/s-1' }, origin), {
        method: 'GET',
        path: '/get?a=1',
        headers: [],
        body: '',
      }),
    ).toBe("curl -i 'https://play.example.com/gw/s-1/get?a=1'");
  });
  it('falls back to gatewayUrl without a gatewayPath (made absolute when it is a path)', () => {
    expect(gatewayBase({ gatewayUrl: 'http://127.0.0.1:41234' }, origin)).toBe('http://127.0.0.1:41234');
    expect(gatewayBase({ gatewayUrl: '/gw/s-2' }, `${origin}/`)).toBe('https://play.example.com/gw/s-2');
  });
});
