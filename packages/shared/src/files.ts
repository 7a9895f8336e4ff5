// The rules for a project's file paths, checked by the editor as they are typed and by the server
// before anything touches the disk (builds, imports, shares): relative paths of safe segments, Go
// sources and the module files, and the data files a plugin embeds.

/** One path segment: starts with a letter, digit or "_" (so no "..", no dot-files), then safe characters. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
/** Data files kept without being named by a //go:embed pattern. Anything the go tool would compile or link is left out. */
const DATA_EXTENSIONS = /\.(json|ya?ml|txt|tmpl|tpl|html|md|csv|pem|crt|toml|xml|lua|rego|js)$/i;
/** Sources the go tool would compile or link, never taken as data even when embedded. */
const NOT_DATA = /\.(c|cc|cpp|cxx|h|hh|hpp|s|S|sx|syso|m|f|F|for|f90|swig|swigcxx)$/;

export const MAIN_FILE = 'main.go';
export const MAX_PATH_LENGTH = 256;

export interface FileLimits {
  maxFiles: number;
  maxDepth: number;
  maxTotalBytes: number;
  maxDataFileBytes: number;
}

/**
 * The path limits a server applies unless its operator sets others (PLAYGROUND_MAX_DEPTH,
 * PLAYGROUND_MAX_DATA_FILE_BYTES): what an editor checks before the server is asked.
 */
export const DEFAULT_PATH_LIMITS: Pick<FileLimits, 'maxDepth' | 'maxDataFileBytes'> = { maxDepth: 8, maxDataFileBytes: 256 * 1024 };

/** Which rule a path breaks: its segments (`name`), how deep it is, or what kind of file it is. */
export type FilePathRule = 'name' | 'depth' | 'kind';

export type FileKind = 'go' | 'go.mod' | 'go.sum' | 'data';

/**
 * The `//go:embed` patterns of Go sources, each relative to the project root (a pattern in
 * `provider/x.go` is relative to `provider/`).
 */
export function embedPatterns(files: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [path, source] of Object.entries(files)) {
    if (!path.endsWith('.go')) continue;
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    for (const m of source.matchAll(/^\s*\/\/go:embed\s+(.+)$/gm)) {
      for (const word of m[1].match(/"[^"]*"|`[^`]*`|\S+/g) ?? []) out.push(dir + word.replace(/^["`]|["`]$/g, '').replace(/^all:/, ''));
    }
  }
  return out;
}

/** Go's path.Match for one pattern against a path (`*` stays within a segment), or a folder pattern covering it. */
function embeds(pattern: string, path: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c === '[' || c === ']' ? c : /[\\^$.|+(){}]/.test(c) ? `\\${c}` : c))
    .join('');
  // A pattern naming a folder embeds the files below it.
  return new RegExp(`^${source}(/.*)?$`).test(path);
}

/** What a path is to the build: Go source, the module files (root only), or data (embeddable, or named by a //go:embed pattern). */
export function fileKind(path: string, embedded: string[] = []): FileKind | null {
  if (path === 'go.mod' || path === 'go.sum') return path;
  const base = path.split('/').pop() ?? '';
  if (base === 'go.mod' || base === 'go.sum') return null; // only at the root
  if (base.endsWith('.go')) return 'go';
  if (NOT_DATA.test(base)) return null;
  return DATA_EXTENSIONS.test(base) || embedded.some((p) => embeds(p, path)) ? 'data' : null;
}

/** The rule a path breaks as a project file, and why, or null. */
export function filePathProblem(path: string, maxDepth: number, embedded: string[] = []): { rule: FilePathRule; message: string } | null {
  const segments = path.split('/');
  if (!path || path.length > MAX_PATH_LENGTH || !segments.every((s) => SEGMENT.test(s))) {
    return {
      rule: 'name',
      message: `path "${path}" is not allowed: use relative paths whose parts start with a letter, digit or "_" (letters, digits, "_", "-", "." only; no "..", no absolute paths, no hidden files)`,
    };
  }
  if (segments.length > maxDepth) return { rule: 'depth', message: `path "${path}" is ${segments.length} levels deep (at most ${maxDepth})` };
  if (!fileKind(path, embedded)) {
    return {
      rule: 'kind',
      message: `file "${path}" is not allowed: a project holds .go files, go.mod and go.sum at its root, and data files to embed (.json, .yaml, .txt, .tmpl, ..., or any file a //go:embed pattern names)`,
    };
  }
  return null;
}

/** Why a path cannot be a project file, or null. */
export function checkFilePath(path: string, maxDepth: number, embedded: string[] = []): string | null {
  return filePathProblem(path, maxDepth, embedded)?.message ?? null;
}

/** Why a folder path is not allowed, or null. */
export function checkFolderPath(path: string, maxDepth: number): string | null {
  const segments = path.split('/');
  if (!path || !segments.every((s) => SEGMENT.test(s))) {
    return 'use folder names of letters, digits, "_", "-" and "." (no "..", no hidden folders), like provider or config/v1';
  }
  if (segments.length >= maxDepth) return `folders nest at most ${maxDepth - 1} levels deep`;
  return null;
}

/**
 * Checks a project tree: safe relative paths, bounded depth, count and sizes, `main.go` at the
 * root, no path both a file and a folder. The problem and the field (`files.<path>`) it is in, or null.
 */
export function checkFiles(files: Record<string, string>, limits: FileLimits): { message: string; field: string } | null {
  const paths = Object.keys(files);
  if (!(MAIN_FILE in files)) return { message: 'files must contain "main.go" at the root of the project', field: 'files' };
  if (paths.length > limits.maxFiles) return { message: `too many files: ${paths.length} (at most ${limits.maxFiles})`, field: 'files' };
  const embedded = embedPatterns(files);
  let total = 0;
  for (const path of paths) {
    const field = `files.${path}`;
    const wrong = checkFilePath(path, limits.maxDepth, embedded);
    if (wrong) return { message: wrong, field };
    if (typeof files[path] !== 'string') return { message: `file "${path}" must be a string`, field };
    const size = new TextEncoder().encode(files[path]).length;
    if (fileKind(path, embedded) === 'data' && size > limits.maxDataFileBytes) {
      return { message: `data file "${path}" is ${size} bytes (at most ${limits.maxDataFileBytes})`, field };
    }
    total += size;
  }
  const folders = new Set(paths.flatMap((p) => p.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  const clash = paths.find((p) => folders.has(p));
  if (clash) return { message: `"${clash}" is both a file and a folder of other files`, field: `files.${clash}` };
  if (total > limits.maxTotalBytes) return { message: `sources are too large: ${total} bytes (at most ${limits.maxTotalBytes} bytes in all)`, field: 'files' };
  return null;
}
