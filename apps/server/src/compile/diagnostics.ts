import type { Diagnostic } from '@playground/shared';

const POSITION = /^(?:\.\/)?([A-Za-z0-9_./-]+\.go|go\.mod|go\.sum):(\d+)(?::(\d+))?: (.*)$/;

/** Lines the go tool prints that say nothing to a plugin author. */
const NOISE = [/^# /, /^go: finding module for package /, /^go: downloading /];

const HIGRESS_SDK = 'github.com/higress-group/proxy-wasm-go-sdk';
const TETRATE_SDK = 'github.com/tetratelabs/proxy-wasm-go-sdk';

/** Rewrites a few go tool messages into what a plugin author should do about them. */
function explain(message: string): string {
  const missing = /^(?:cannot find module providing package|no required module provides package) ([^\s:;]+)/.exec(message);
  if (missing) {
    const pkg = missing[1];
    if (pkg.startsWith(TETRATE_SDK)) {
      return (
        `${pkg} is the upstream SDK; Higress plugins must import the fork ` +
        `${HIGRESS_SDK}${pkg.slice(TETRATE_SDK.length)} (same API, change the import path)`
      );
    }
    return (
      `package ${pkg} is not available: builds run offline, with the standard library, ` +
      `github.com/higress-group/wasm-go, ${HIGRESS_SDK}, github.com/tidwall/gjson and their dependencies`
    );
  }
  if (/^pattern .*: invalid pattern syntax$/.test(message) && message.includes('..')) {
    return `${message}: //go:embed can only name files inside the plugin's own folder`;
  }
  return message;
}

/**
 * Turns go build/vet output into diagnostics positioned in the user's files. Continuation lines
 * (indented with a tab) belong to the diagnostic above them. Lines with no position become a
 * build-wide diagnostic with `file: ""` and line 0.
 */
export function parseDiagnostics(output: string, userFiles: string[]): Diagnostic[] {
  const known = new Set(userFiles);
  const out: Diagnostic[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trimEnd();
    if (!line || NOISE.some((re) => re.test(line))) continue;
    if (line.startsWith('\t') && out.length) {
      out[out.length - 1].message += '\n' + line.trim();
      continue;
    }
    const m = POSITION.exec(line);
    if (m && known.has(m[1])) {
      out.push({ file: m[1], line: +m[2], column: m[3] ? +m[3] : 1, message: explain(m[4]), severity: 'error' });
    } else {
      out.push({ file: '', line: 0, column: 0, message: explain(line), severity: 'error' });
    }
  }
  // The go tool may report one problem once per package load; keep each once.
  const seen = new Set<string>();
  return out.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Removes host paths from text shown to users. */
export function scrubPaths(text: string, scrub: [string, string][]): string {
  let out = text;
  for (const [from, to] of scrub) out = out.split(from).join(to);
  return out;
}
