// LSP shapes (0-based positions, URIs, numeric kinds) to the playground's (1-based, project paths,
// names), and back. Columns stay in UTF-16 code units on both sides, as Monaco and LSP count them.
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import type {
  Diagnostic,
  LspCompletion,
  LspCompletionItem,
  LspCompletionKind,
  LspHover,
  LspLocation,
  LspRange,
  LspSignature,
} from '@playground/shared';

/** The folders gopls sees (inside the sandbox) and where they are on the host. */
export interface PathMap {
  view: { root: string; modCache: string; goroot: string };
  host: { root: string; modCache: string; goroot: string };
}

export interface LspPosition {
  line: number;
  character: number;
}
export interface LspRangeRaw {
  start: LspPosition;
  end: LspPosition;
}

/** The largest file outside the project sent back for go to definition. */
export const MAX_EXTERNAL_FILE_BYTES = 1024 * 1024;

export const toPosition = (line: number, column: number): LspPosition => ({ line: line - 1, character: column - 1 });

export const fromRange = (r: LspRangeRaw): LspRange => ({
  line: r.start.line + 1,
  column: r.start.character + 1,
  endLine: r.end.line + 1,
  endColumn: r.end.character + 1,
});

const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

/** The project folder as gopls's URI. */
export const rootUri = (map: PathMap): string => `file://${encodePath(map.view.root)}`;

/** A project path (already validated: safe characters only) as gopls's URI. */
export const uriOf = (map: PathMap, rel: string): string => `${rootUri(map)}/${rel}`;

/** What a URI gopls names is: a project file, a file of a module in the cache, of the standard library, or unknown. */
export type Place =
  | { kind: 'project'; path: string }
  | { kind: 'external'; display: string; hostFile: string; hostRoot: string }
  | null;

const under = (p: string, dir: string) => (p.startsWith(dir + '/') ? p.slice(dir.length + 1) : null);

/** Module cache paths escape capitals (`github.com/!burnt!sushi`); a display path shows them back. */
const unescapeModulePath = (p: string) => p.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase());

export function placeOf(map: PathMap, uri: string): Place {
  if (!uri.startsWith('file://')) return null;
  let p: string;
  try {
    p = decodeURIComponent(uri.slice('file://'.length));
  } catch {
    return null;
  }
  p = path.posix.normalize(p);
  const project = under(p, map.view.root);
  if (project !== null) return { kind: 'project', path: project };
  const mod = under(p, map.view.modCache);
  if (mod !== null) return { kind: 'external', display: unescapeModulePath(mod), hostFile: path.join(map.host.modCache, mod), hostRoot: map.host.modCache };
  const std = under(p, map.view.goroot);
  if (std !== null) return { kind: 'external', display: `$GOROOT/${std}`, hostFile: path.join(map.host.goroot, std), hostRoot: map.host.goroot };
  return null;
}

/** The text of a file outside the project (the SDK in the module cache, the standard library), bounded. */
export async function readExternal(place: Extract<Place, { kind: 'external' }>): Promise<string | undefined> {
  try {
    const real = await realpath(place.hostFile);
    const root = await realpath(place.hostRoot);
    if (!real.startsWith(root + path.sep) || !real.endsWith('.go')) return undefined;
    const fh = await open(real, 'r');
    try {
      if ((await fh.stat()).size > MAX_EXTERNAL_FILE_BYTES) return undefined;
      return await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}

// --- diagnostics

export interface RawDiagnostic {
  range: LspRangeRaw;
  severity?: number;
  message: string;
  source?: string;
}

/**
 * gopls diagnostics for one file in the build's shape: errors (1) and warnings (2); information and
 * hints (deprecations, simplifications) are left out, as the build leaves them out. gopls marks
 * diagnostics of a GOOS/GOARCH other than its own with ` [wasip1,wasm]`; every one is, here.
 */
export function toDiagnostics(file: string, raw: RawDiagnostic[]): Diagnostic[] {
  return raw
    .filter((d) => d.severity === 1 || d.severity === 2 || d.severity === undefined)
    .map((d) => ({
      file,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
      severity: d.severity === 2 ? ('warning' as const) : ('error' as const),
      message: d.message.replace(/ \[wasip1,wasm\]$/, ''),
    }));
}

// --- completion

const KINDS: LspCompletionKind[] = [
  'text', 'method', 'function', 'constructor', 'field', 'variable', 'class', 'interface', 'module', 'property',
  'unit', 'value', 'enum', 'keyword', 'snippet', 'color', 'file', 'reference', 'folder', 'enumMember',
  'constant', 'struct', 'event', 'operator', 'typeParameter',
];

type Markup = string | { kind?: string; value: string } | { language: string; value: string };

export const markdownOf = (m: Markup | Markup[] | undefined | null): string | undefined => {
  if (m === undefined || m === null) return undefined;
  if (Array.isArray(m)) return m.map((x) => markdownOf(x) ?? '').filter(Boolean).join('\n\n') || undefined;
  if (typeof m === 'string') return m || undefined;
  if ('language' in m) return '```' + m.language + '\n' + m.value + '\n```';
  return m.value || undefined;
};

interface RawTextEdit {
  range: LspRangeRaw;
  newText: string;
}
interface RawCompletionItem {
  label: string;
  kind?: number;
  detail?: string;
  documentation?: Markup;
  insertText?: string;
  insertTextFormat?: number;
  textEdit?: RawTextEdit | { newText: string; insert: LspRangeRaw; replace: LspRangeRaw };
  additionalTextEdits?: RawTextEdit[];
  sortText?: string;
  filterText?: string;
  preselect?: boolean;
  deprecated?: boolean;
  tags?: number[];
}

/** The most items sent for one completion (gopls ranks them; the rest would never be seen). */
export const MAX_COMPLETION_ITEMS = 300;

export function toCompletion(raw: { items?: RawCompletionItem[]; isIncomplete?: boolean } | RawCompletionItem[] | null): LspCompletion {
  const list = raw === null ? [] : Array.isArray(raw) ? raw : (raw.items ?? []);
  const incomplete = !!raw && !Array.isArray(raw) && !!raw.isIncomplete;
  const items: LspCompletionItem[] = list.slice(0, MAX_COMPLETION_ITEMS).map((i) => {
    const edit = i.textEdit;
    const range = edit ? ('range' in edit ? edit.range : edit.replace) : undefined;
    const documentation = markdownOf(i.documentation);
    return {
      label: i.label,
      kind: KINDS[(i.kind ?? 1) - 1] ?? 'text',
      ...(i.detail ? { detail: i.detail } : {}),
      ...(documentation ? { documentation } : {}),
      insertText: edit?.newText ?? i.insertText ?? i.label,
      snippet: i.insertTextFormat === 2,
      ...(range ? { range: fromRange(range) } : {}),
      ...(i.sortText ? { sortText: i.sortText } : {}),
      ...(i.filterText ? { filterText: i.filterText } : {}),
      ...(i.preselect ? { preselect: true } : {}),
      ...(i.deprecated || i.tags?.includes(1) ? { deprecated: true } : {}),
      ...(i.additionalTextEdits?.length ? { additionalEdits: i.additionalTextEdits.map((e) => ({ ...fromRange(e.range), text: e.newText })) } : {}),
    };
  });
  return { items, incomplete: incomplete || list.length > MAX_COMPLETION_ITEMS };
}

// --- hover and signature help

export function toHover(raw: { contents: Markup | Markup[]; range?: LspRangeRaw } | null): LspHover {
  const markdown = raw ? markdownOf(raw.contents) : undefined;
  if (!raw || !markdown) return { hover: null };
  return { hover: { markdown, ...(raw.range ? { range: fromRange(raw.range) } : {}) } };
}

interface RawSignature {
  label: string;
  documentation?: Markup;
  parameters?: { label: string | [number, number]; documentation?: Markup }[];
  activeParameter?: number | null;
}

export function toSignature(raw: { signatures?: RawSignature[]; activeSignature?: number | null; activeParameter?: number | null } | null): LspSignature {
  if (!raw?.signatures?.length) return { signature: null };
  return {
    signature: {
      signatures: raw.signatures.map((s) => {
        const documentation = markdownOf(s.documentation);
        return {
          label: s.label,
          ...(documentation ? { documentation } : {}),
          parameters: (s.parameters ?? []).map((p) => {
            const doc = markdownOf(p.documentation);
            const offsets = Array.isArray(p.label) ? p.label : s.label.indexOf(p.label) >= 0 ? ([s.label.indexOf(p.label), s.label.indexOf(p.label) + p.label.length] as [number, number]) : undefined;
            return {
              label: Array.isArray(p.label) ? s.label.slice(p.label[0], p.label[1]) : p.label,
              ...(offsets ? { offsets } : {}),
              ...(doc ? { documentation: doc } : {}),
            };
          }),
          ...(typeof s.activeParameter === 'number' ? { activeParameter: s.activeParameter } : {}),
        };
      }),
      activeSignature: raw.activeSignature ?? 0,
      activeParameter: raw.activeParameter ?? 0,
    },
  };
}

// --- definition

type RawLocation = { uri: string; range: LspRangeRaw } | { targetUri: string; targetSelectionRange: LspRangeRaw; targetRange: LspRangeRaw };

/** Definitions inside the project by path; outside it (the SDK, the standard library) with the file's text. */
export async function toLocations(map: PathMap, raw: RawLocation | RawLocation[] | null, projectFiles: Set<string>): Promise<LspLocation[]> {
  const list = raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  const out: LspLocation[] = [];
  for (const loc of list) {
    const uri = 'uri' in loc ? loc.uri : loc.targetUri;
    const range = 'uri' in loc ? loc.range : loc.targetSelectionRange;
    const place = placeOf(map, uri);
    if (!place) continue;
    if (place.kind === 'project') {
      if (projectFiles.has(place.path)) out.push({ path: place.path, external: false, ...fromRange(range) });
      continue;
    }
    const text = await readExternal(place);
    out.push({ path: place.display, external: true, ...fromRange(range), ...(text !== undefined ? { text } : {}) });
  }
  return out;
}
