// Rules for the paths of the user's files: a project tree of Go packages
// (`provider/openai.go`), an optional root go.mod / go.sum, and small data
// files the plugin embeds. Mirrors the server's checks so problems show early.
export const MAIN_FILE = 'main.go';
export const CONFIG_FILE = 'config.yaml';

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
const DATA_EXTENSIONS = /\.(json|ya?ml|txt|tmpl|tpl|html|md|csv|pem|crt|toml|xml|lua|rego|js)$/i;
export const MAX_DEPTH = 8;

export type FileKind = 'go' | 'go.mod' | 'go.sum' | 'data';

/** What a path is to the build, or null when the build does not use it. */
export function fileKind(path: string): FileKind | null {
  if (path === 'go.mod' || path === 'go.sum') return path;
  const base = path.split('/').pop() ?? '';
  if (base === 'go.mod' || base === 'go.sum') return null; // only at the root
  if (base.endsWith('.go')) return 'go';
  return DATA_EXTENSIONS.test(base) ? 'data' : null;
}

/** Normalizes a typed path: trims, drops a leading "./" or "/", collapses "//". */
export function normalizePath(path: string): string {
  return path.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/{2,}/g, '/').replace(/\/$/, '');
}

/** Why a folder path is not allowed, or null. */
export function checkFolderPath(path: string): string | null {
  const segs = path.split('/');
  if (!path || !segs.every((s) => SEGMENT.test(s))) {
    return 'Use folder names of letters, digits, "_", "-" and "." (no "..", no hidden folders), like provider or config/v1';
  }
  if (segs.length >= MAX_DEPTH) return `Folders nest at most ${MAX_DEPTH - 1} levels deep`;
  return null;
}

/** Returns why a path is not allowed for a project file, or null when it is fine. */
export function checkFilePath(path: string, existing: string[]): string | null {
  const segs = path.split('/');
  if (!path || path.length > 256 || !segs.every((s) => SEGMENT.test(s))) {
    return 'Use a relative path like util.go or provider/openai.go (letters, digits, "_", "-", "."; no "..", no hidden files)';
  }
  if (segs.length > MAX_DEPTH) return `Paths are at most ${MAX_DEPTH} levels deep`;
  if (path === CONFIG_FILE) return 'config.yaml is the plugin config; it is always there';
  if (!fileKind(path)) {
    return 'A project holds .go files, go.mod and go.sum at its root, and data files to embed (.json, .yaml, .txt, .tmpl, ...)';
  }
  if (existing.includes(path)) return `A file named ${path} already exists`;
  return null;
}

/** Kept for the single-file tab flow: a Go file name. */
export function checkGoFileName(name: string, existing: string[]): string | null {
  if (!name.endsWith('.go') && !name.includes('.')) return 'Use a plain file name ending in .go, like util.go';
  return checkFilePath(name, existing);
}

export type Language = 'go' | 'yaml' | 'gomod' | 'json' | 'plaintext' | 'markdown' | 'html' | 'xml' | 'javascript';

export function languageOf(name: string): Language {
  const base = name.split('/').pop() ?? name;
  if (base.endsWith('.go')) return 'go';
  if (base === 'go.mod') return 'gomod';
  if (/\.ya?ml$/i.test(base)) return 'yaml';
  if (/\.json$/i.test(base)) return 'json';
  if (/\.md$/i.test(base)) return 'markdown';
  if (/\.html?$/i.test(base)) return 'html';
  if (/\.xml$/i.test(base)) return 'xml';
  if (/\.js$/i.test(base)) return 'javascript';
  return 'plaintext';
}

/** Sort order of a tree: main.go, then go.mod, go.sum, other root files, then folders, each by name. */
export function comparePaths(a: string, b: string): number {
  const rank = (p: string) => (p === MAIN_FILE ? 0 : p === 'go.mod' ? 1 : p === 'go.sum' ? 2 : p.includes('/') ? 4 : 3);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  return a.localeCompare(b);
}

/** Folders a set of paths implies (`a/b/c.go` -> `a`, `a/b`). */
export function impliedFolders(paths: string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const segs = p.split('/');
    for (let i = 1; i < segs.length; i++) out.add(segs.slice(0, i).join('/'));
  }
  return [...out].sort();
}

/**
 * Picks the files a project build uses out of a dropped folder or list of
 * files: strips one common top folder, takes the root config.yaml as the
 * plugin config, and lists what is left out and why.
 */
export function selectProjectFiles(
  entries: { path: string; size: number }[],
  maxDataBytes = 256 * 1024,
): { keep: { from: string; path: string }[]; config: string | null; skipped: string[] } {
  const paths = entries.map((e) => normalizePath(e.path));
  const top = paths[0]?.split('/')[0];
  const strip = paths.length > 0 && paths.every((p) => p.startsWith(`${top}/`)) && !paths.some((p) => p === 'main.go') ? `${top}/` : '';
  const keep: { from: string; path: string }[] = [];
  const skipped: string[] = [];
  let config: string | null = null;
  entries.forEach((e, i) => {
    const rel = paths[i].slice(strip.length);
    const segs = rel.split('/');
    if (segs.some((s) => s.startsWith('.')) || segs.includes('node_modules') || segs.includes('vendor') || segs.includes('__MACOSX')) {
      if (!segs.some((s) => s === '.git' || s === '__MACOSX' || s === '.DS_Store')) skipped.push(rel);
      return;
    }
    if (rel === CONFIG_FILE) {
      config = e.path;
      return;
    }
    const kind = fileKind(rel);
    if (!kind || !segs.every((s) => SEGMENT.test(s)) || segs.length > MAX_DEPTH) skipped.push(rel);
    else if (kind === 'data' && e.size > maxDataBytes) skipped.push(`${rel} (too large)`);
    else keep.push({ from: e.path, path: rel });
  });
  return { keep, config, skipped };
}
