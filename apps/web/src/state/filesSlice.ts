// The scenario being edited: Go files, the plugin config, which tab is open,
// and where the scenario came from (a shared link or an example it forked).
import type { StateCreator } from 'zustand';
import type { Scenario } from '../api/types';
import { defaultScenario } from '../lib/defaults';
import { CONFIG_FILE, MAIN_FILE, checkGoFileName } from '../lib/fileNames';
import type { Store } from './store';

export interface SourceFile {
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
  origin: ScenarioOrigin;
  setFileContent: (name: string, content: string) => void;
  setConfig: (config: string) => void;
  setActiveFile: (name: string) => void;
  /** Each returns an error message, or null when done. */
  addFile: (name: string) => string | null;
  renameFile: (from: string, to: string) => string | null;
  deleteFile: (name: string) => string | null;
  loadScenario: (s: Scenario, origin: ScenarioOrigin) => void;
}

export function filesRecord(files: SourceFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.name, f.content]));
}

function orderFiles(files: Record<string, string>): SourceFile[] {
  const names = Object.keys(files).filter((n) => n.endsWith('.go'));
  names.sort((a, b) => (a === MAIN_FILE ? -1 : b === MAIN_FILE ? 1 : a.localeCompare(b)));
  if (!names.includes(MAIN_FILE)) names.unshift(MAIN_FILE);
  return names.map((name) => ({ name, content: files[name] ?? '' }));
}

const edited = (o: ScenarioOrigin): ScenarioOrigin => (o.kind === 'local' || o.forked ? o : { ...o, forked: true });

export const createFilesSlice: StateCreator<Store, [], [], FilesSlice> = (set, get) => ({
  files: orderFiles(defaultScenario().files),
  config: defaultScenario().config,
  activeFile: MAIN_FILE,
  origin: { kind: 'local', forked: false },

  setFileContent: (name, content) =>
    set((s) => {
      const current = s.files.find((f) => f.name === name);
      if (!current || current.content === content) return {};
      return { files: s.files.map((f) => (f.name === name ? { ...f, content } : f)), origin: edited(s.origin) };
    }),

  setConfig: (config) => set((s) => (s.config === config ? {} : { config, origin: edited(s.origin) })),

  setActiveFile: (name) => set({ activeFile: name }),

  addFile: (name) => {
    const problem = checkGoFileName(name, get().files.map((f) => f.name));
    if (problem) return problem;
    set((s) => ({
      files: [...s.files, { name, content: 'package main\n' }],
      activeFile: name,
      origin: edited(s.origin),
    }));
    return null;
  },

  renameFile: (from, to) => {
    if (from === MAIN_FILE) return 'main.go is the plugin entry point and keeps its name';
    if (from === to) return null;
    const others = get().files.map((f) => f.name).filter((n) => n !== from);
    const problem = checkGoFileName(to, others);
    if (problem) return problem;
    set((s) => ({
      files: s.files.map((f) => (f.name === from ? { ...f, name: to } : f)),
      activeFile: s.activeFile === from ? to : s.activeFile,
      origin: edited(s.origin),
    }));
    return null;
  },

  deleteFile: (name) => {
    if (name === MAIN_FILE) return 'main.go cannot be deleted';
    if (name === CONFIG_FILE) return 'config.yaml cannot be deleted';
    set((s) => ({
      files: s.files.filter((f) => f.name !== name),
      activeFile: s.activeFile === name ? MAIN_FILE : s.activeFile,
      origin: edited(s.origin),
    }));
    return null;
  },

  loadScenario: (scenario, origin) => {
    set({ files: orderFiles(scenario.files), config: scenario.config ?? '', activeFile: MAIN_FILE, origin });
    get().replaceRequests(scenario.requests ?? []);
    get().resetOutput();
  },
});
