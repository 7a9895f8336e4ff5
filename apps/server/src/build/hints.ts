import type { Diagnostic, FileMap } from '@playground/shared';

/**
 * Finds the mistakes that compile but leave a plugin dead in the gateway. Today: `wrapper.SetCtx`
 * called from `main()`. A c-shared wasip1 module is a reactor; its `main` never runs, only `init`.
 */
export function findHints(files: FileMap): Diagnostic[] {
  const hints: Diagnostic[] = [];
  for (const [file, source] of Object.entries(files)) {
    if (!file.endsWith('.go') || file.includes('/')) continue;
    const body = funcBody(source, 'main');
    if (!body) continue;
    const text = source.slice(body.start, body.end);
    const at = text.search(/\bSetCtx\s*\(/);
    if (at < 0) continue;
    const { line, column } = position(source, body.start + at);
    hints.push({
      file,
      line,
      column,
      severity: 'warning',
      message:
        'wrapper.SetCtx is called in main(), which never runs in a Go 1.24 wasip1 plugin (the gateway only runs init()): ' +
        'move it into func init() { ... } and leave func main() {} empty',
    });
  }
  return hints;
}

/** Locates the body of a top-level function by brace matching, skipping strings and comments. */
function funcBody(source: string, name: string): { start: number; end: number } | null {
  const decl = new RegExp(`^func\\s+${name}\\s*\\(\\s*\\)\\s*\\{`, 'm').exec(source);
  if (!decl) return null;
  const start = decl.index + decl[0].length;
  let depth = 1;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') i = source.indexOf('\n', i) < 0 ? source.length : source.indexOf('\n', i);
    else if (c === '/' && source[i + 1] === '*') i = source.indexOf('*/', i + 2) + 1 || source.length;
    else if (c === '"' || c === '`' || c === "'") {
      const quote = c;
      for (i++; i < source.length && source[i] !== quote; i++) if (source[i] === '\\' && quote !== '`') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return { start, end: i };
  }
  return { start, end: source.length };
}

function position(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
