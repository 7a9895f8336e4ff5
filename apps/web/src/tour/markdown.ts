// A small Markdown reader for the tour's lessons: headings, paragraphs, fenced
// (and indented) code blocks, lists (nested by indentation), block quotes,
// rules, and inline code spans, links, bold and italic. It returns a tree of
// plain data that Markdown.tsx turns into React elements, so every piece of
// text reaches the page as text: HTML in a lesson is shown, never injected,
// and a link is kept only when its address is http(s), mailto or relative.

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'strong'; c: Inline[] }
  | { t: 'em'; c: Inline[] }
  | { t: 'link'; href: string; c: Inline[] };

export type Block =
  | { t: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; c: Inline[] }
  | { t: 'paragraph'; c: Inline[] }
  | { t: 'code'; lang: string; v: string }
  | { t: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { t: 'quote'; c: Block[] }
  | { t: 'rule' };

/** Whether a link may point there: http(s), mailto, or an address on this site (no javascript:, data:, ...). */
export function safeHref(href: string): string | null {
  const h = href.trim();
  if (!h || /[\s<>"]/.test(h)) return null;
  // Browsers ignore tabs/newlines and leading control characters in a scheme: refuse them outright.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(h)) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(h);
  if (!scheme) return h.startsWith('//') ? null : h;
  return ['http', 'https', 'mailto'].includes(scheme[1].toLowerCase()) ? h : null;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BULLET = /^( {0,3})([-*+])[ \t]+(.*)$/;
const ORDERED = /^( {0,3})(\d{1,9})[.)][ \t]+(.*)$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const blank = (line: string) => line.trim() === '';
const indentOf = (line: string) => /^ */.exec(line.replace(/\t/g, '    '))![0].length;
/** Drops up to `n` columns of leading indentation (a tab reaches the next multiple of 4); tabs after it stay. */
const dedent = (line: string, n: number) => {
  let col = 0;
  let i = 0;
  for (; i < line.length && col < n; i++) {
    if (line[i] === ' ') col++;
    else if (line[i] === '\t') col += 4 - (col % 4);
    else break;
  }
  return line.slice(i);
};

/** Whether `line` starts a block other than a paragraph (so it ends a paragraph). */
function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || BULLET.test(line) || ORDERED.test(line) || QUOTE.test(line);
}

/** Reads Markdown into blocks. */
export function parseMarkdown(text: string): Block[] {
  return parseBlocks(text.replace(/\r\n?/g, '\n').split('\n'));
}

function parseBlocks(lines: string[]): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (blank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1];
      const indent = indentOf(line);
      const body: string[] = [];
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`).test(lines[i])) {
        body.push(dedent(lines[i], indent));
        i++;
      }
      i++; // the closing fence (or the end)
      out.push({ t: 'code', lang: fence[2], v: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      out.push({ t: 'heading', level: heading[1].length as 1 | 2 | 3 | 4 | 5 | 6, c: parseInline(heading[2] ?? '') });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push({ t: 'rule' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && !blank(lines[i]) && (QUOTE.test(lines[i]) || !startsBlock(lines[i]))) {
        body.push(QUOTE.exec(lines[i])?.[1] ?? lines[i]);
        i++;
      }
      out.push({ t: 'quote', c: parseBlocks(body) });
      continue;
    }
    if (BULLET.test(line) || ORDERED.test(line)) {
      i = parseList(lines, i, out);
      continue;
    }
    if (indentOf(line) >= 4) {
      const body: string[] = [];
      while (i < lines.length && (blank(lines[i]) || indentOf(lines[i]) >= 4)) {
        body.push(dedent(lines[i], 4));
        i++;
      }
      while (body.length && blank(body[body.length - 1])) body.pop();
      out.push({ t: 'code', lang: '', v: body.join('\n') });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && !blank(lines[i]) && (para.length === 0 || !startsBlock(lines[i]))) {
      para.push(lines[i].trim());
      i++;
    }
    out.push({ t: 'paragraph', c: parseInline(para.join('\n')) });
  }
  return out;
}

/** Reads the list that starts at `lines[start]` into `out`; returns the index after it. */
function parseList(lines: string[], start: number, out: Block[]): number {
  const first = BULLET.exec(lines[start]) ?? ORDERED.exec(lines[start])!;
  const ordered = !BULLET.test(lines[start]);
  const marker = ordered ? ORDERED : BULLET;
  const items: Block[][] = [];
  let i = start;
  while (i < lines.length) {
    const m = marker.exec(lines[i]);
    if (!m || (!ordered && m[2] !== first[2])) break;
    // The item's content: the text after its marker, and the lines indented under it.
    const contentIndent = lines[i].length - m[3].length;
    const body = [m[3]];
    i++;
    while (i < lines.length) {
      const line = lines[i];
      if (blank(line)) {
        // A blank line ends the item unless indented content follows it.
        let j = i;
        while (j < lines.length && blank(lines[j])) j++;
        if (j < lines.length && indentOf(lines[j]) >= Math.min(contentIndent, 4) && !marker.test(lines[j])) {
          for (; i < j; i++) body.push('');
          continue;
        }
        break;
      }
      if (indentOf(line) >= Math.min(contentIndent, 4) && indentOf(line) > indentOf(lines[start])) body.push(dedent(line, contentIndent));
      else if (!startsBlock(line)) body.push(line.trim()); // a lazy continuation of the item's text
      else break;
      i++;
    }
    items.push(parseBlocks(body));
    // Blank lines between items of the same list.
    let j = i;
    while (j < lines.length && blank(lines[j])) j++;
    if (j < lines.length && j > i && marker.test(lines[j])) i = j;
  }
  out.push({ t: 'list', ordered, start: ordered ? Number(first[2]) : 1, items });
  return i;
}

const ESCAPABLE = /[\\`*_{}[\]()#+\-.!<>|~"']/;

/** Reads inline Markdown: code spans, links, **bold**, *italic*, and backslash escapes. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push({ t: 'text', v: buf });
    buf = '';
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length && ESCAPABLE.test(text[i + 1])) {
      buf += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const run = /^`+/.exec(text.slice(i))![0];
      const close = text.indexOf(run, i + run.length);
      // The closing run must be exactly as long.
      let end = close;
      while (end !== -1 && text[end + run.length] === '`') end = text.indexOf(run, end + run.length + 1);
      if (end !== -1) {
        flush();
        let code = text.slice(i + run.length, end).replace(/\n/g, ' ');
        if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
        out.push({ t: 'code', v: code });
        i = end + run.length;
        continue;
      }
      buf += run;
      i += run.length;
      continue;
    }
    if (ch === '[') {
      const link = readLink(text, i);
      if (link) {
        flush();
        const href = safeHref(link.href);
        const c = parseInline(link.text);
        if (href) out.push({ t: 'link', href, c });
        else out.push(...c);
        i = link.end;
        continue;
      }
    }
    if (ch === '*' || ch === '_') {
      const strong = text.startsWith(ch + ch, i);
      const delim = strong ? ch + ch : ch;
      const emph = readEmphasis(text, i, delim);
      if (emph) {
        flush();
        out.push(strong ? { t: 'strong', c: parseInline(emph.inner) } : { t: 'em', c: parseInline(emph.inner) });
        i = emph.end;
        continue;
      }
      buf += delim;
      i += delim.length;
      continue;
    }
    buf += ch === '\n' ? ' ' : ch;
    i++;
  }
  flush();
  return out;
}

/** `[text](href)` at `start`: its parts and the index after it, or null. */
function readLink(text: string, start: number): { text: string; href: string; end: number } | null {
  let depth = 0;
  let i = start;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close === -1) return null;
      i = close;
    } else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) break;
  }
  if (i >= text.length || text[i + 1] !== '(') return null;
  // The address may hold balanced parentheses (one level), and a "title" after it.
  const m = /^\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)>?(?:\s+"[^"]*")?\s*\)/.exec(text.slice(i + 1));
  if (!m) return null;
  return { text: text.slice(start + 1, i), href: m[1], end: i + 1 + m[0].length };
}

const wordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** Emphasis opened by `delim` at `start`: its inner text and the index after it, or null. */
function readEmphasis(text: string, start: number, delim: string): { inner: string; end: number } | null {
  const after = text[start + delim.length];
  // An opening delimiter is followed by text, and "_" inside a word (snake_case) opens nothing.
  if (after === undefined || /\s/.test(after) || after === delim[0]) return null;
  if (delim[0] === '_' && wordChar(text[start - 1])) return null;
  let i = start + delim.length;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(text.slice(i))![0];
      const close = text.indexOf(run, i + run.length);
      i = close === -1 ? i + run.length : close + run.length;
      continue;
    }
    if (text.startsWith(delim, i) && !/\s/.test(text[i - 1])) {
      const next = text[i + delim.length];
      // "**" inside "*...*" is not its end, nor is a "_" that continues a word.
      const longer = next === delim[0];
      if (!longer && !(delim[0] === '_' && wordChar(next)) && i > start + delim.length) {
        return { inner: text.slice(start + delim.length, i), end: i + delim.length };
      }
      if (longer && delim.length === 1) {
        // Skip a nested strong run inside emphasis.
        const close = text.indexOf(delim + delim, i + 2);
        i = close === -1 ? i + 2 : close + 2;
        continue;
      }
    }
    i++;
  }
  return null;
}
