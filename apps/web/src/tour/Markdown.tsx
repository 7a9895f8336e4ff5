// A lesson's Markdown as React elements (markdown.ts reads it): every text is
// rendered as text, so HTML in a lesson is shown, never injected. Also one line
// of it inside other text (the examples gallery's descriptions).
import { Fragment, useMemo, type ReactNode } from 'react';
import { parseInline, parseMarkdown, type Block, type Inline } from './markdown';

/** `links`: false inside a control (a button may not hold a link), where a link shows as its text. */
function inline(nodes: Inline[], links = true): ReactNode[] {
  return nodes.map((n, i) => {
    switch (n.t) {
      case 'text':
        return <Fragment key={i}>{n.v}</Fragment>;
      case 'code':
        return <code key={i}>{n.v}</code>;
      case 'strong':
        return <strong key={i}>{inline(n.c, links)}</strong>;
      case 'em':
        return <em key={i}>{inline(n.c, links)}</em>;
      case 'link': {
        if (!links) return <Fragment key={i}>{inline(n.c, links)}</Fragment>;
        const external = /^(https?:|mailto:)/i.test(n.href);
        return (
          <a key={i} href={n.href} {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
            {inline(n.c)}
          </a>
        );
      }
    }
  });
}

function block(b: Block, key: number, tight = false): ReactNode {
  switch (b.t) {
    case 'heading': {
      const H = `h${Math.min(b.level + 1, 6)}` as 'h2'; // the page has its h1: a lesson's # is an h2
      return <H key={key}>{inline(b.c)}</H>;
    }
    case 'paragraph':
      return tight ? <Fragment key={key}>{inline(b.c)}</Fragment> : <p key={key}>{inline(b.c)}</p>;
    case 'code':
      return (
        <pre key={key} className="md-code" data-lang={b.lang || undefined}>
          <code>{b.v}</code>
        </pre>
      );
    case 'list': {
      // A list whose items are single paragraphs is shown without paragraph spacing.
      const isTight = b.items.every((item) => item.length <= 1);
      const items = b.items.map((item, i) => <li key={i}>{item.map((x, j) => block(x, j, isTight && x.t === 'paragraph'))}</li>);
      return b.ordered ? (
        <ol key={key} start={b.start === 1 ? undefined : b.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'quote':
      return <blockquote key={key}>{b.c.map((x, i) => block(x, i))}</blockquote>;
    case 'rule':
      return <hr key={key} />;
  }
}

export function Markdown({ text, className }: { text: string; className?: string }) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return <div className={className ?? 'markdown'}>{blocks.map((b, i) => block(b, i))}</div>;
}

/** One paragraph's worth of Markdown (code spans, bold, italic) inside a control: links show as their text. */
export function InlineMarkdown({ text }: { text: string }) {
  const nodes = useMemo(() => parseInline(text), [text]);
  return <>{inline(nodes, false)}</>;
}
