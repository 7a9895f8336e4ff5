// What the user has open on the scenario: the project tree as the editor shows
// it (with the folders they made that hold no file yet), the open tabs and the
// active one, read-only tabs of sources outside the project (the SDK's, opened
// by go to definition: never part of the scenario, a share or the saved
// state), the selected request, and a spot to reveal in the editor. The
// tree's adds, moves and deletes check paths with the shared rules
// (lib/fileNames.ts) and hand the new file list to the scenario.
import type { StateCreator } from 'zustand';
import { embedPatterns } from '@playground/shared';
import { CONFIG_FILE, MAIN_FILE, folderPathProblem, impliedFolders, newFilePathProblem, normalizePath } from '../lib/fileNames';
import { filesRecord, type SourceFile } from './scenario';
import type { Store } from './store';

export interface RevealTarget {
  file: string;
  line: number;
  column: number;
  nonce: number;
}

/** A source outside the project, open read-only (go to definition into the SDK or the standard library). */
export interface ReadOnlyTab {
  /** The display path the server gave, e.g. `github.com/higress-group/proxy-wasm-go-sdk@v…/proxywasm/hostcall.go`. */
  path: string;
  text: string;
  /** The tab that was active when it opened: closing it goes back there. */
  from: string;
}

const READ_ONLY = 'sdk:';
/** The `activeFile` of a read-only tab (no project path has a colon). */
export const readOnlyTabId = (path: string) => `${READ_ONLY}${path}`;
export const isReadOnlyTabId = (name: string) => name.startsWith(READ_ONLY);

export interface WorkspaceSlice {
  /** A project path, config.yaml, or a read-only tab's id (`readOnlyTabId`). */
  activeFile: string;
  /** Files open as tabs (config.yaml is always shown). */
  openTabs: string[];
  /** Folders the user created that hold no file yet (others are implied by the paths). */
  folders: string[];
  /** Read-only tabs, after the project's and config.yaml. */
  readOnlyTabs: ReadOnlyTab[];
  /** The request the request builder shows. */
  activeRequestId: string;
  reveal: RevealTarget | null;
  setActiveFile: (name: string) => void;
  closeTab: (name: string) => void;
  /** Each returns an error message, or null when done. */
  addFile: (path: string, content?: string) => string | null;
  renameFile: (from: string, to: string) => string | null;
  deleteFile: (name: string) => string | null;
  addFolder: (path: string) => string | null;
  renameFolder: (from: string, to: string) => string | null;
  deleteFolder: (path: string) => string | null;
  selectRequest: (id: string) => void;
  /** Opens `file` and puts the cursor at line:column. */
  revealAt: (file: string, line: number, column: number) => void;
  /** Opens (or updates) a read-only tab of a source outside the project and puts the cursor at line:column. */
  openReadOnly: (source: { path: string; text: string }, line: number, column: number) => void;
  /** A freshly loaded scenario: main.go open, no empty folders, no read-only tabs. */
  resetWorkspace: () => void;
}

/** All folders of the tree: implied by paths plus the empty ones. */
export function allFolders(files: SourceFile[], extra: string[]): string[] {
  return [...new Set([...impliedFolders(files.map((f) => f.name)), ...extra, ...impliedFolders(extra.map((f) => `${f}/x`))])].sort();
}

const under = (path: string, folder: string) => path.startsWith(`${folder}/`);

/** The playground template's requirements under the user's own module path. */
export const GO_MOD_STARTER = `module example.com/plugin

go 1.24.1

require (
\tgithub.com/higress-group/proxy-wasm-go-sdk v0.0.0-20251103120604-77e9cce339d2
\tgithub.com/higress-group/wasm-go v1.0.6
\tgithub.com/tidwall/gjson v1.18.0
)
`;

function starterContent(path: string, files: SourceFile[]): string {
  if (path === 'go.mod') return GO_MOD_STARTER;
  if (!path.endsWith('.go')) return '';
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  if (!folder) return 'package main\n';
  const sibling = files.find((f) => f.name.endsWith('.go') && f.name.slice(0, f.name.lastIndexOf('/')) === folder);
  const pkg = /^\s*package\s+(\w+)/m.exec(sibling?.content ?? '')?.[1] ?? folder.split('/').pop()!.replace(/[^A-Za-z0-9_]/g, '_');
  return `package ${pkg}\n`;
}

/** Why `path` cannot be added to `files` (paths in `others` are taken), with the project's //go:embed patterns. */
const fileProblem = (path: string, files: SourceFile[], others: string[]) => newFilePathProblem(path, others, embedPatterns(filesRecord(files)));

export const createWorkspaceSlice: StateCreator<Store, [], [], WorkspaceSlice> = (set, get) => ({
  activeFile: MAIN_FILE,
  openTabs: [MAIN_FILE],
  folders: [],
  readOnlyTabs: [],
  activeRequestId: '', // the scenario's first request, once the store is made (store.ts)
  reveal: null,

  setActiveFile: (name) =>
    set((s) => ({
      activeFile: name,
      openTabs: name === CONFIG_FILE || isReadOnlyTabId(name) || s.openTabs.includes(name) ? s.openTabs : [...s.openTabs, name],
    })),

  closeTab: (name) =>
    set((s) => {
      if (isReadOnlyTabId(name)) {
        const tab = s.readOnlyTabs.find((t) => readOnlyTabId(t.path) === name);
        const readOnlyTabs = s.readOnlyTabs.filter((t) => t !== tab);
        if (s.activeFile !== name) return { readOnlyTabs };
        // Back to the tab it was opened from, if it is still there.
        const there = (t: string | undefined) => t !== undefined && (t === CONFIG_FILE || s.files.some((f) => f.name === t) || readOnlyTabs.some((r) => readOnlyTabId(r.path) === t));
        return { readOnlyTabs, activeFile: [tab?.from, ...s.openTabs].find(there) ?? CONFIG_FILE };
      }
      const openTabs = s.openTabs.filter((t) => t !== name);
      if (s.activeFile !== name) return { openTabs };
      const i = s.openTabs.indexOf(name);
      return { openTabs, activeFile: openTabs[Math.min(i, openTabs.length - 1)] ?? CONFIG_FILE };
    }),

  addFile: (raw, content) => {
    const path = normalizePath(raw);
    const { files } = get();
    const problem = fileProblem(path, files, files.map((f) => f.name));
    if (problem) return problem;
    get().setFiles([...files, { name: path, content: content ?? starterContent(path, files) }]);
    get().setActiveFile(path);
    return null;
  },

  renameFile: (from, raw) => {
    const to = normalizePath(raw);
    if (from === MAIN_FILE) return 'main.go is the plugin entry point and keeps its name';
    if (from === to) return null;
    const { files } = get();
    const problem = fileProblem(to, files, files.map((f) => f.name).filter((n) => n !== from));
    if (problem) return problem;
    get().setFiles(files.map((f) => (f.name === from ? { ...f, name: to } : f)));
    set((s) => ({ activeFile: s.activeFile === from ? to : s.activeFile, openTabs: s.openTabs.map((t) => (t === from ? to : t)) }));
    return null;
  },

  deleteFile: (name) => {
    if (name === MAIN_FILE) return 'main.go cannot be deleted';
    if (name === CONFIG_FILE) return 'config.yaml cannot be deleted';
    get().setFiles(get().files.filter((f) => f.name !== name));
    set((s) => {
      const openTabs = s.openTabs.filter((t) => t !== name);
      return {
        activeFile: s.activeFile === name ? (openTabs[0] ?? MAIN_FILE) : s.activeFile,
        openTabs: openTabs.length ? openTabs : [MAIN_FILE],
      };
    });
    return null;
  },

  addFolder: (raw) => {
    const path = normalizePath(raw);
    const problem = folderPathProblem(path);
    if (problem) return problem;
    const s = get();
    if (allFolders(s.files, s.folders).includes(path)) return `A folder named ${path} already exists`;
    if (s.files.some((f) => f.name === path)) return `A file named ${path} already exists`;
    set({ folders: [...s.folders, path].sort() });
    return null;
  },

  renameFolder: (from, raw) => {
    const to = normalizePath(raw);
    if (from === to) return null;
    const problem = folderPathProblem(to);
    if (problem) return problem;
    if (under(to, from)) return `${from} cannot move into itself`;
    const s = get();
    const move = (p: string) => (p === from ? to : under(p, from) ? to + p.slice(from.length) : p);
    const moved = s.files.map((f) => ({ ...f, name: move(f.name) }));
    const names = moved.map((f) => f.name);
    if (new Set(names).size !== names.length) return `${to} already holds files of the same names`;
    for (const f of s.files) {
      if (!under(f.name, from)) continue;
      const p = fileProblem(move(f.name), moved, []);
      if (p) return p;
    }
    get().setFiles(moved);
    set({ folders: s.folders.map(move), activeFile: move(s.activeFile), openTabs: s.openTabs.map(move) });
    return null;
  },

  deleteFolder: (path) => {
    const s = get();
    const openTabs = s.openTabs.filter((t) => !under(t, path));
    get().setFiles(s.files.filter((f) => !under(f.name, path)));
    set({
      folders: s.folders.filter((f) => f !== path && !under(f, path)),
      openTabs: openTabs.length ? openTabs : [MAIN_FILE],
      activeFile: under(s.activeFile, path) ? (openTabs[0] ?? MAIN_FILE) : s.activeFile,
    });
    return null;
  },

  selectRequest: (activeRequestId) => set({ activeRequestId }),

  revealAt: (file, line, column) => {
    get().setActiveFile(file);
    set((s) => ({ reveal: { file, line, column, nonce: (s.reveal?.nonce ?? 0) + 1 } }));
  },

  openReadOnly: ({ path, text }, line, column) => {
    set((s) => {
      // From another read-only tab: closing this one goes back to where that one came from.
      const from = s.readOnlyTabs.find((t) => readOnlyTabId(t.path) === s.activeFile)?.from ?? s.activeFile;
      const tab = { path, text, from };
      const known = s.readOnlyTabs.some((t) => t.path === path);
      return { readOnlyTabs: known ? s.readOnlyTabs.map((t) => (t.path === path ? tab : t)) : [...s.readOnlyTabs, tab] };
    });
    get().revealAt(readOnlyTabId(path), line, column);
  },

  resetWorkspace: () => set({ activeFile: MAIN_FILE, openTabs: [MAIN_FILE], folders: [], readOnlyTabs: [] }),
});
