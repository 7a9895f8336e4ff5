import { describe, expect, it } from 'vitest';
import { headersToText, textToHeaders } from './headerText';

describe('header text', () => {
  it('round-trips name: value lines, keeping colons in values', () => {
    const h: [string, string][] = [
      ['content-type', 'application/json'],
      ['x-url', 'http://a:1/b'],
    ];
    expect(textToHeaders(headersToText(h))).toEqual(h);
  });

  it('leaves out lines that are not headers yet', () => {
    expect(textToHeaders('x-a: 1\nx-b\n\n')).toEqual([['x-a', '1']]);
  });
});
