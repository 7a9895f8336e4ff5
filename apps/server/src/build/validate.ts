import type { FileMap } from '@playground/shared';
import type { BuildLimits } from './limits.js';

/** One path segment: starts with a letter, digit or "_" (so no "..", no dot-files), then safe characters. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
/** Data files a plugin may embed with //go:embed. Anything the go tool would compile or link is left out. */
const DATA_EXTENSIONS = /\.(json|ya?ml|txt|tmpl|tpl|html|md|csv|pem|crt|toml|xml|lua|rego|js)$/i;

export class BadSourcesError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export type FileKind = 'go' | 'go.mod' | 'go.sum' | 'data';

/** What a path is to the build: Go source, the module files (root only), or embeddable data. */
export function fileKind(path: string): FileKind | null {
  if (path === 'go.mod' || path === 'go.sum') return path;
  if (path.endsWith('.go')) return 'go';
  return DATA_EXTENSIONS.test(path) ? 'data' : null;
}

/**
 * Checks a project tree before anything touches the disk: relative paths of safe segments only
 * (no "..", no absolute paths, no dot-files), bounded depth, count and size, `main.go` at the root.
 * Throws BadSourcesError naming the offending path.
 */
export function validateFiles(files: FileMap, limits: BuildLimits): void {
  const paths = Object.keys(files);
  if (!('main.go' in files)) throw new BadSourcesError('files must contain "main.go" at the root of the project', 'files');
  if (paths.length > limits.maxFiles) {
    throw new BadSourcesError(`too many files: ${paths.length} (at most ${limits.maxFiles})`, 'files');
  }
  let total = 0;
  for (const path of paths) {
    const field = `files.${path}`;
    const segments = path.split('/');
    if (path.length > 256 || !segments.every((s) => SEGMENT.test(s))) {
      throw new BadSourcesError(
        `path "${path}" is not allowed: use relative paths whose parts start with a letter, digit or "_" ` +
          '(letters, digits, "_", "-", "." only; no "..", no absolute paths, no hidden files)',
        field,
      );
    }
    if (segments.length > limits.maxDepth) {
      throw new BadSourcesError(`path "${path}" is ${segments.length} levels deep (at most ${limits.maxDepth})`, field);
    }
    const kind = fileKind(segments[segments.length - 1]);
    if (!kind || ((kind === 'go.mod' || kind === 'go.sum') && segments.length > 1)) {
      throw new BadSourcesError(
        `file "${path}" is not allowed: a project holds .go files, go.mod and go.sum at its root, and data files to embed (.json, .yaml, .txt, .tmpl, ...)`,
        field,
      );
    }
    if (typeof files[path] !== 'string') throw new BadSourcesError(`file "${path}" must be a string`, field);
    const size = Buffer.byteLength(files[path]);
    if (kind === 'data' && size > limits.maxDataFileBytes) {
      throw new BadSourcesError(`data file "${path}" is ${size} bytes (at most ${limits.maxDataFileBytes})`, field);
    }
    total += size;
  }
  // A path cannot be a file and a folder at once ("a.json" and "a.json/b.go").
  const folders = new Set(paths.flatMap((p) => p.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  const clash = paths.find((p) => folders.has(p));
  if (clash) throw new BadSourcesError(`"${clash}" is both a file and a folder of other files`, `files.${clash}`);
  if (total > limits.maxTotalBytes) {
    throw new BadSourcesError(`sources are too large: ${total} bytes (at most ${limits.maxTotalBytes} bytes in all)`, 'files');
  }
}
