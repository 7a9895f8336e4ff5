// The one zustand store, made of slices (files, requests, run, logs, ui, lab).
// The scenario and the layout survive a reload through local storage; what is
// read back is checked field by field (persistedState.ts), and writes go
// through savedStorage.ts so a full storage never breaks an action.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { createFilesSlice, type FilesSlice } from './filesSlice';
import { createLabSlice, type LabSlice } from './labSlice';
import { createLogsSlice, type LogsSlice } from './logsSlice';
import { persisted, sanitizePersisted, type Persisted } from './persistedState';
import { createRequestsSlice, type RequestsSlice } from './requestsSlice';
import { createRunSlice, type RunSlice } from './runSlice';
import { savedStorage } from './savedStorage';
import { createUiSlice, type UiSlice } from './uiSlice';

export type Store = FilesSlice & RequestsSlice & RunSlice & LogsSlice & UiSlice & LabSlice;

export const STORAGE_KEY = 'higress-wasm-playground/v1';

const storage = savedStorage<Persisted>(() =>
  useStore
    .getState()
    .notify('Your work could not be saved in this browser (its storage is full or blocked). It is kept until you close the tab; use Share or ⤓ .zip to keep it.'),
);

/** True when this browser had no saved scenario (first visit); read before the store writes. */
export const FIRST_VISIT = storage.getItem(STORAGE_KEY) === null;

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
      storage,
      partialize: persisted,
      merge: (saved, current) => ({ ...current, ...sanitizePersisted(saved, persisted(current)) }),
    },
  ),
);

// Writes are delayed; the last edits must still land when the tab closes.
if (typeof window !== 'undefined') window.addEventListener('pagehide', storage.flush);

/** Drops the saved scenario and layout and reloads the page with the defaults. */
export function resetSavedWork() {
  storage.forget(STORAGE_KEY);
  window.location.reload();
}
