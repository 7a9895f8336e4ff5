import yaml from 'js-yaml';

/**
 * Quoting for the files a bundle generates (the Go test, the curl script, the YAML files). Every
 * string a plugin or a user controls goes through one of these before it lands in generated text.
 */

const utf8 = new TextEncoder();
/** What Go's strconv.Quote prints as it is: letters, marks, numbers, punctuation, symbols, and the ASCII space. */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const GO_SHORT: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
  34: '\\"',
  92: '\\\\',
};
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** The code point of the valid UTF-8 sequence at `i`, and its length; null where the bytes are not UTF-8. */
function utf8At(b: Uint8Array, i: number): { cp: number; len: number } | null {
  const b0 = b[i];
  if (b0 < 0x80) return { cp: b0, len: 1 };
  const len = b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
  if (!len || i + len > b.length) return null;
  let cp = b0 & (0xff >> (len + 1));
  for (let k = 1; k < len; k++) {
    if ((b[i + k] & 0xc0) !== 0x80) return null;
    cp = (cp << 6) | (b[i + k] & 0x3f);
  }
  const min = [0, 0, 0x80, 0x800, 0x10000][len];
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
  return { cp, len };
}

/**
 * A Go interpreted string literal holding exactly these bytes (a string is taken as its UTF-8), as
 * strconv.Quote writes it: `"` and `\` escaped, control and other non-printing characters as
 * `\n`, `\x00`, `\u200b`..., and bytes that are not UTF-8 as `\xff`.
 */
export function goQuote(value: string | Uint8Array): string {
  const b = typeof value === 'string' ? utf8.encode(value) : value;
  let out = '"';
  for (let i = 0; i < b.length;) {
    const r = utf8At(b, i);
    if (!r) {
      out += `\\x${hex(b[i], 2)}`;
      i++;
      continue;
    }
    const ch = String.fromCodePoint(r.cp);
    if (GO_SHORT[r.cp]) out += GO_SHORT[r.cp];
    else if (GO_PRINTABLE.test(ch)) out += ch;
    else if (r.cp < 0x80) out += `\\x${hex(r.cp, 2)}`;
    else if (r.cp < 0x10000) out += `\\u${hex(r.cp, 4)}`;
    else out += `\\U${hex(r.cp, 8)}`;
    i += r.len;
  }
  return out + '"';
}

/**
 * One POSIX shell word that stands for exactly this string: single-quoted, each `'` written `'\''`.
 * No shell word can hold a NUL byte (argv strings end at one), so that throws.
 */
export function shellQuote(s: string): string {
  if (s.includes('\0')) throw new RangeError('a shell word cannot hold a NUL byte');
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** As shellQuote, but a word of only unremarkable characters (`GET`, `-sS`) is left bare. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : shellQuote(s);
}

/**
 * A shell word for printf(1) that prints exactly these bytes (NUL, bytes that are not UTF-8 and all):
 * `%` and `\` doubled, everything but printable ASCII (and a leading `-`, which printf would take
 * for an option) as a three-digit octal escape.
 */
export function shellPrintfFormat(bytes: Uint8Array): string {
  let f = '';
  for (const [i, c] of bytes.entries()) {
    if (c === 0x25) f += '%%';
    else if (c === 0x5c) f += '\\\\';
    else if (c >= 0x20 && c < 0x7f && c !== 0x27 && !(i === 0 && c === 0x2d)) f += String.fromCharCode(c);
    else f += `\\${c.toString(8).padStart(3, '0')}`;
  }
  return shellQuote(f);
}

/**
 * A YAML scalar (a double-quoted flow scalar, on one line) that reads back as exactly this string,
 * written by the YAML library: quotes, `#`, `: `, line breaks and non-printing characters escaped.
 */
export function yamlQuote(s: string): string {
  return yaml.dump(s, { forceQuotes: true, quotingType: '"', lineWidth: -1 }).replace(/\n$/, '');
}

/**
 * Text for a line comment (shell `#`, Go `//`) that stays one comment: every line break, control
 * and format character becomes a space, and a star-slash is split so it cannot end a Go block comment.
 */
export function commentText(s: string): string {
  return s.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ').replace(/\*\//g, '* /');
}
