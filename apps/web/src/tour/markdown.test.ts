import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown';
import { parseInline, parseMarkdown, safeHref } from './markdown';

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe('markdown', () => {
  it('reads headings, paragraphs (lines joined) and rules', () => {
    expect(parseMarkdown('# Title\n\nOne\ntwo.\n\n---\n## Sub ##\n')).toEqual([
      { t: 'heading', level: 1, c: [{ t: 'text', v: 'Title' }] },
      { t: 'paragraph', c: [{ t: 'text', v: 'One two.' }] },
      { t: 'rule' },
      { t: 'heading', level: 2, c: [{ t: 'text', v: 'Sub' }] },
    ]);
  });

  it('reads fenced and indented code blocks as they are', () => {
    expect(parseMarkdown('```go\nfunc main() {\n\t*x* <b>\n}\n```\n\n    indented\n      more\n')).toEqual([
      { t: 'code', lang: 'go', v: 'func main() {\n\t*x* <b>\n}' },
      { t: 'code', lang: '', v: 'indented\n  more' },
    ]);
  });

  it('reads inline code, bold, italic and links; snake_case stays text', () => {
    expect(parseInline('Call `AddHttpRequestHeader(name, value)` in **the *first* phase**, see [the guide](https://example.com/a_b) and my_var_name.')).toEqual([
      { t: 'text', v: 'Call ' },
      { t: 'code', v: 'AddHttpRequestHeader(name, value)' },
      { t: 'text', v: ' in ' },
      { t: 'strong', c: [{ t: 'text', v: 'the ' }, { t: 'em', c: [{ t: 'text', v: 'first' }] }, { t: 'text', v: ' phase' }] },
      { t: 'text', v: ', see ' },
      { t: 'link', href: 'https://example.com/a_b', c: [{ t: 'text', v: 'the guide' }] },
      { t: 'text', v: ' and my_var_name.' },
    ]);
    expect(parseInline('``a ` b`` and \\*not italic\\* and 2 * 3 * 4')).toEqual([
      { t: 'code', v: 'a ` b' },
      { t: 'text', v: ' and *not italic* and 2 * 3 * 4' },
    ]);
  });

  it('reads lists: bullets, numbers, nesting and continuation lines', () => {
    const blocks = parseMarkdown('1. first\n   still first\n2. second\n   - nested `x`\n   - other\n\n- a\n- b\n');
    expect(blocks).toEqual([
      {
        t: 'list',
        ordered: true,
        start: 1,
        items: [
          [{ t: 'paragraph', c: [{ t: 'text', v: 'first still first' }] }],
          [
            { t: 'paragraph', c: [{ t: 'text', v: 'second' }] },
            {
              t: 'list',
              ordered: false,
              start: 1,
              items: [[{ t: 'paragraph', c: [{ t: 'text', v: 'nested ' }, { t: 'code', v: 'x' }] }], [{ t: 'paragraph', c: [{ t: 'text', v: 'other' }] }]],
            },
          ],
        ],
      },
      { t: 'list', ordered: false, start: 1, items: [[{ t: 'paragraph', c: [{ t: 'text', v: 'a' }] }], [{ t: 'paragraph', c: [{ t: 'text', v: 'b' }] }]] },
    ]);
  });

  it('keeps only http(s), mailto and relative links', () => {
    expect(safeHref('https://x.dev/a')).toBe('https://x.dev/a');
    expect(safeHref('/tour/2')).toBe('/tour/2');
    expect(safeHref('#phases')).toBe('#phases');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('JavaScript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<b>')).toBeNull();
    expect(safeHref('//evil.example/x')).toBeNull();
    expect(parseInline('[click](javascript:alert(1))')).toEqual([{ t: 'text', v: 'click' }]);
  });

  it('renders HTML in a lesson as text, never as markup', () => {
    const out = html('# Hi <img src=x onerror=alert(1)>\n\n<script>alert(1)</script> and `<b>`\n\n[x](javascript:alert(1))');
    expect(out).not.toMatch(/<script|<img|<b>|href="javascript/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('<code>&lt;b&gt;</code>');
    expect(out).toContain('<h2>Hi &lt;img src=x onerror=alert(1)&gt;</h2>');
  });

  it('renders external links in a new tab, and tight lists without paragraphs', () => {
    expect(html('- [a](https://a.dev)\n- b')).toBe('<div class="markdown"><ul><li><a href="https://a.dev" target="_blank" rel="noopener noreferrer">a</a></li><li>b</li></ul></div>');
  });
});
