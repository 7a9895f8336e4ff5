// The editor's side of the project's path rules. The rules themselves (safe
// segments, depth, Go sources, module files, data files and what a //go:embed
// pattern names) are @playground/shared's, the same the server applies; here
// they are worded for the UI, and joined by what only the editor knows (the
// config.yaml tab, the paths already taken), languages and tree order.
import { DEFAULT_PATH_LIMITS, MAIN_FILE, checkFolderPath, embedPatterns, fileKind, filePathProblem } from '@playground/shared';

export { MAIN_FILE };
export const CONFIG_FILE = 'config.yaml';

const { maxDepth: MAX_DEPTH, maxDataFileBytes: MAX_DATA_BYTES } = DEFAULT_PATH_LIMITS;

/** A rule's message as a sentence of the UI. */
const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/** Normalizes a typed path: trims, drops a leading "./" or "/", collapses "//". */
export function normalizePath(path: string): string {
  return path.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/{2,}/g, '/').replace(/\/$/, '');
}

/** Why a folder path is not allowed, or null. */
export function folderPathProblem(path: string): string | null {
  const problem = checkFolderPath(path, MAX_DEPTH);
  return problem && sentence(problem);
}

/**
 * Why `path` cannot be a file of this project, or null: the shared rules (with the //go:embed
 * patterns of the project's Go files), then the editor's own: config.yaml is the plugin config,
 * and a path is taken once.
 */
export function newFilePathProblem(path: string, existing: string[], embedded: string[] = []): string | null {
  const problem = filePathProblem(path, MAX_DEPTH, embedded);
  if (problem) return sentence(problem.message) + (problem.rule === 'name' ? ', like util.go or provider/openai.go' : '');
  if (path === CONFIG_FILE) return 'config.yaml is the plugin config; it is always there';
  if (existing.includes(path)) return `A file named ${path} already exists`;
  return null;
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

/** A file of a dropped folder: its path there, its size, and its text when it is a Go source (for its //go:embed patterns). */
export interface DroppedFile {
  path: string;
  size: number;
  text?: string;
}

/**
 * Picks the files a project build uses out of a dropped folder or list of
 * files: strips one common top folder, takes the root config.yaml as the
 * plugin config, keeps what the shared rules allow (data files a //go:embed
 * pattern of the dropped Go sources names included), and lists what is left
 * out and why.
 */
export function selectProjectFiles(
  entries: DroppedFile[],
  maxDataBytes = MAX_DATA_BYTES,
): { keep: { from: string; path: string }[]; config: string | null; skipped: string[] } {
  const paths = entries.map((e) => normalizePath(e.path));
  const top = paths[0]?.split('/')[0];
  const strip = paths.length > 0 && paths.every((p) => p.startsWith(`${top}/`)) && !paths.some((p) => p === MAIN_FILE) ? `${top}/` : '';
  const rels = paths.map((p) => p.slice(strip.length));
  const embedded = embedPatterns(Object.fromEntries(entries.flatMap((e, i) => (e.text !== undefined ? [[rels[i], e.text]] : []))));
  const keep: { from: string; path: string }[] = [];
  const skipped: string[] = [];
  let config: string | null = null;
  entries.forEach((e, i) => {
    const rel = rels[i];
    const segs = rel.split('/');
    if (segs.some((s) => s.startsWith('.')) || segs.includes('node_modules') || segs.includes('vendor') || segs.includes('__MACOSX')) {
      if (!segs.some((s) => s === '.git' || s === '__MACOSX' || s === '.DS_Store')) skipped.push(rel);
      return;
    }
    if (rel === CONFIG_FILE) {
      config = e.path;
      return;
    }
    if (filePathProblem(rel, MAX_DEPTH, embedded)) skipped.push(rel);
    else if (fileKind(rel, embedded) === 'data' && e.size > maxDataBytes) skipped.push(`${rel} (too large)`);
    else keep.push({ from: e.path, path: rel });
  });
  return { keep, config, skipped };
}
