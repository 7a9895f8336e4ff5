// The one zustand store, made of slices (files, requests, run, logs, ui).
// The scenario and the layout survive a reload through local storage.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { createFilesSlice, type FilesSlice } from './filesSlice';
import { createLabSlice, type LabSlice } from './labSlice';
import { createLogsSlice, type LogsSlice } from './logsSlice';
import { createRequestsSlice, type RequestsSlice } from './requestsSlice';
import { createRunSlice, type RunSlice } from './runSlice';
import { createUiSlice, type UiSlice } from './uiSlice';

export type Store = FilesSlice & RequestsSlice & RunSlice & LogsSlice & UiSlice & LabSlice;

export const STORAGE_KEY = 'higress-wasm-playground/v1';

/** What is saved in local storage. */
export function persisted(s: Store) {
  return {
    files: s.files,
    config: s.config,
    activeFile: s.activeFile,
    openTabs: s.openTabs,
    folders: s.folders,
    clock: s.clock,
    services: s.services,
    origin: s.origin,
    requests: s.requests,
    activeRequestId: s.activeRequestId,
    runtime: s.runtime,
    theme: s.theme,
    activePane: s.activePane,
    editorWidth: s.editorWidth,
    requestHeight: s.requestHeight,
    logLevel: s.logLevel,
  };
}

const memory = new Map<string, string>();
const fallbackStorage = {
  getItem: (k: string) => memory.get(k) ?? null,
  setItem: (k: string, v: string) => void memory.set(k, v),
  removeItem: (k: string) => void memory.delete(k),
};

/** True when this browser had no saved scenario (first visit); read before the store writes. */
export const FIRST_VISIT = !hadSavedScenario();

export const useStore = create<Store>()(
  persist(
    (...a) => ({
      ...createFilesSlice(...a),
      ...createRequestsSlice(...a),
      ...createRunSlice(...a),
      ...createLogsSlice(...a),
      ...createUiSlice(...a),
      ...createLabSlice(...a),
    }),
    {
      name: STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => (typeof localStorage === 'undefined' ? fallbackStorage : localStorage)),
      partialize: persisted,
    },
  ),
);

function hadSavedScenario(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem(STORAGE_KEY) !== null;
  } catch {
    return false;
  }
}
