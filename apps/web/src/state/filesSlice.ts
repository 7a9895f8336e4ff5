// The project being edited: a tree of files (Go packages in folders, an
// optional go.mod/go.sum, embeddable data files), the plugin config, the open
// tabs, and where the scenario came from (a shared link or an example it forked).
import type { StateCreator } from 'zustand';
import type { Scenario } from '../api/types';
import { defaultScenario } from '../lib/defaults';
import { CONFIG_FILE, MAIN_FILE, checkFilePath, checkFolderPath, comparePaths, impliedFolders, normalizePath } from '../lib/fileNames';
import { readServices, withValidUpstream } from '../lib/services';
import type { Store } from './store';

export interface SourceFile {
  /** A relative path: `main.go`, `provider/openai.go`, `go.mod`. */
  name: string;
  content: string;
}

export interface ScenarioOrigin {
  kind: 'local' | 'example' | 'share';
  /** The example name or the share id. */
  id?: string;
  /** True once the user edited a shared or example scenario: it is now their own copy. */
  forked: boolean;
}

export interface FilesSlice {
  files: SourceFile[];
  config: string;
  activeFile: string;
  /** Files open as tabs (config.yaml is always shown). */
  openTabs: string[];
  /** Folders the user created that hold no file yet (others are implied by the paths). */
  folders: string[];
  origin: ScenarioOrigin;
  setFileContent: (name: string, content: string) => void;
  setConfig: (config: string) => void;
  setActiveFile: (name: string) => void;
  closeTab: (name: string) => void;
  /** Each returns an error message, or null when done. */
  addFile: (path: string, content?: string) => string | null;
  renameFile: (from: string, to: string) => string | null;
  deleteFile: (name: string) => string | null;
  addFolder: (path: string) => string | null;
  renameFolder: (from: string, to: string) => string | null;
  deleteFolder: (path: string) => string | null;
  loadScenario: (s: Scenario, origin: ScenarioOrigin) => void;
}

export function filesRecord(files: SourceFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.name, f.content]));
}

function orderFiles(files: Record<string, string>): SourceFile[] {
  const names = Object.keys(files).filter((n) => n !== CONFIG_FILE);
  if (!names.includes(MAIN_FILE)) names.push(MAIN_FILE);
  names.sort(comparePaths);
  return names.map((name) => ({ name, content: files[name] ?? '' }));
}

/** All folders of the tree: implied by paths plus the empty ones. */
export function allFolders(files: SourceFile[], extra: string[]): string[] {
  return [...new Set([...impliedFolders(files.map((f) => f.name)), ...extra, ...impliedFolders(extra.map((f) => `${f}/x`))])].sort();
}

/** The origin after an edit: a shared or example scenario becomes the user's own copy. */
export const edited = (o: ScenarioOrigin): ScenarioOrigin => (o.kind === 'local' || o.forked ? o : { ...o, forked: true });
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

export const createFilesSlice: StateCreator<Store, [], [], FilesSlice> = (set, get) => ({
  files: orderFiles(defaultScenario().files),
  config: defaultScenario().config,
  activeFile: MAIN_FILE,
  openTabs: [MAIN_FILE],
  folders: [],
  origin: { kind: 'local', forked: false },

  setFileContent: (name, content) =>
    set((s) => {
      const current = s.files.find((f) => f.name === name);
      if (!current || current.content === content) return {};
      return { files: s.files.map((f) => (f.name === name ? { ...f, content } : f)), origin: edited(s.origin) };
    }),

  setConfig: (config) => set((s) => (s.config === config ? {} : { config, origin: edited(s.origin) })),

  setActiveFile: (name) =>
    set((s) => ({
      activeFile: name,
      openTabs: name === CONFIG_FILE || s.openTabs.includes(name) ? s.openTabs : [...s.openTabs, name],
    })),

  closeTab: (name) =>
    set((s) => {
      const openTabs = s.openTabs.filter((t) => t !== name);
      if (s.activeFile !== name) return { openTabs };
      const i = s.openTabs.indexOf(name);
      return { openTabs, activeFile: openTabs[Math.min(i, openTabs.length - 1)] ?? CONFIG_FILE };
    }),

  addFile: (raw, content) => {
    const path = normalizePath(raw);
    const problem = checkFilePath(path, get().files.map((f) => f.name));
    if (problem) return problem;
    set((s) => ({
      files: [...s.files, { name: path, content: content ?? starterContent(path, s.files) }].sort((a, b) => comparePaths(a.name, b.name)),
      activeFile: path,
      openTabs: s.openTabs.includes(path) ? s.openTabs : [...s.openTabs, path],
      origin: edited(s.origin),
    }));
    return null;
  },

  renameFile: (from, raw) => {
    const to = normalizePath(raw);
    if (from === MAIN_FILE) return 'main.go is the plugin entry point and keeps its name';
    if (from === to) return null;
    const others = get().files.map((f) => f.name).filter((n) => n !== from);
    const problem = checkFilePath(to, others);
    if (problem) return problem;
    set((s) => ({
      files: s.files.map((f) => (f.name === from ? { ...f, name: to } : f)).sort((a, b) => comparePaths(a.name, b.name)),
      activeFile: s.activeFile === from ? to : s.activeFile,
      openTabs: s.openTabs.map((t) => (t === from ? to : t)),
      origin: edited(s.origin),
    }));
    return null;
  },

  deleteFile: (name) => {
    if (name === MAIN_FILE) return 'main.go cannot be deleted';
    if (name === CONFIG_FILE) return 'config.yaml cannot be deleted';
    set((s) => {
      const openTabs = s.openTabs.filter((t) => t !== name);
      return {
        files: s.files.filter((f) => f.name !== name),
        activeFile: s.activeFile === name ? (openTabs[0] ?? MAIN_FILE) : s.activeFile,
        openTabs: openTabs.length ? openTabs : [MAIN_FILE],
        origin: edited(s.origin),
      };
    });
    return null;
  },

  addFolder: (raw) => {
    const path = normalizePath(raw);
    const problem = checkFolderPath(path);
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
    const problem = checkFolderPath(to);
    if (problem) return problem;
    if (under(to, from)) return `${from} cannot move into itself`;
    const s = get();
    const move = (p: string) => (p === from ? to : under(p, from) ? to + p.slice(from.length) : p);
    const moved = s.files.map((f) => ({ ...f, name: move(f.name) }));
    const names = moved.map((f) => f.name);
    if (new Set(names).size !== names.length) return `${to} already holds files of the same names`;
    for (const f of s.files) {
      if (!under(f.name, from)) continue;
      const p = checkFilePath(move(f.name), []);
      if (p) return `${move(f.name)}: ${p}`;
    }
    set({
      files: moved.sort((a, b) => comparePaths(a.name, b.name)),
      folders: s.folders.map(move),
      activeFile: move(s.activeFile),
      openTabs: s.openTabs.map(move),
      origin: edited(s.origin),
    });
    return null;
  },

  deleteFolder: (path) => {
    const s = get();
    const openTabs = s.openTabs.filter((t) => !under(t, path));
    set({
      files: s.files.filter((f) => !under(f.name, path)),
      folders: s.folders.filter((f) => f !== path && !under(f, path)),
      openTabs: openTabs.length ? openTabs : [MAIN_FILE],
      activeFile: under(s.activeFile, path) ? (openTabs[0] ?? MAIN_FILE) : s.activeFile,
      origin: edited(s.origin),
    });
    return null;
  },

  loadScenario: (scenario, origin) => {
    // Shares stored before services had a kind hold HTTP services without one.
    const services = readServices(scenario.services) ?? [];
    set({
      files: orderFiles(scenario.files),
      config: scenario.config ?? '',
      activeFile: MAIN_FILE,
      openTabs: [MAIN_FILE],
      folders: [],
      origin,
      services,
      clock: scenario.clock ?? 'real',
      gateway: withValidUpstream(scenario.gateway ?? { profile: 'higress' }, services),
    });
    get().replaceRequests(scenario.requests ?? []);
    get().resetOutput();
  },
});
