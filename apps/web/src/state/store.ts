// The one zustand store, made of one slice per concern, each in its own file
// with the actions that write it:
//   scenario (what a share holds) · origin (where it came from) · workspace
//   (tree, tabs, read-only SDK tabs, selected request) · layout · logs ·
//   health · intelligence (Go intelligence on or off, for its note) · session
//   (the live one) · run · exchanges · analysis · pluginEffect · sequence ·
//   clock · projectFiles (import/export) · format · share · examples · scenarioScope
//   (work in flight, opening another scenario) · speculative (builds ahead of
//   Run) · tour (its route, lessons, checks and progress, saved under a key of
//   its own).
// The scenario and the layout survive a reload through local storage; what is
// read back is checked field by field (persistedState.ts), and writes go
// through savedStorage.ts so a full storage never breaks an action.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { createAnalysisSlice, type AnalysisSlice } from './analysis';
import { createClockSlice, type ClockSlice } from './clock';
import { createExamplesSlice, type ExamplesSlice } from './examples';
import { createExchangesSlice, type ExchangesSlice } from './exchanges';
import { createFormatSlice, type FormatSlice } from './format';
import { createHealthSlice, type HealthSlice } from './health';
import { createIntelligenceSlice, type IntelligenceSlice } from './intelligence';
import { createLayoutSlice, type LayoutSlice } from './layout';
import { createLogsSlice, type LogsSlice } from './logs';
import { createOriginSlice, type OriginSlice } from './origin';
import { persisted, sanitizePersisted, type Persisted } from './persistedState';
import { createPluginEffectSlice, type PluginEffectSlice } from './pluginEffect';
import { createProjectFilesSlice, type ProjectFilesSlice } from './projectFiles';
import { createRunSlice, type RunSlice } from './run';
import { savedStorage } from './savedStorage';
import { createScenarioSlice, type ScenarioSlice } from './scenario';
import { createScenarioScopeSlice, type ScenarioScopeSlice } from './scenarioScope';
import { createSequenceSlice, type SequenceSlice } from './sequence';
import { createSessionSlice, type SessionSlice } from './session';
import { createShareSlice, type ShareSlice } from './share';
import { createSpeculativeSlice, type SpeculativeSlice } from './speculative';
import { createTourSlice, type TourSlice } from './tour';
import { createWorkspaceSlice, type WorkspaceSlice } from './workspace';

export type Store = ScenarioSlice &
  OriginSlice &
  WorkspaceSlice &
  LayoutSlice &
  LogsSlice &
  HealthSlice &
  IntelligenceSlice &
  SessionSlice &
  RunSlice &
  ExchangesSlice &
  AnalysisSlice &
  PluginEffectSlice &
  SequenceSlice &
  ClockSlice &
  ProjectFilesSlice &
  FormatSlice &
  ShareSlice &
  ExamplesSlice &
  ScenarioScopeSlice &
  SpeculativeSlice &
  TourSlice;

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
    (...a) => {
      const store: Store = {
        ...createScenarioSlice(...a),
        ...createOriginSlice(...a),
        ...createWorkspaceSlice(...a),
        ...createLayoutSlice(...a),
        ...createLogsSlice(...a),
        ...createHealthSlice(...a),
        ...createIntelligenceSlice(...a),
        ...createSessionSlice(...a),
        ...createRunSlice(...a),
        ...createExchangesSlice(...a),
        ...createAnalysisSlice(...a),
        ...createPluginEffectSlice(...a),
        ...createSequenceSlice(...a),
        ...createClockSlice(...a),
        ...createProjectFilesSlice(...a),
        ...createFormatSlice(...a),
        ...createShareSlice(...a),
        ...createExamplesSlice(...a),
        ...createScenarioScopeSlice(...a),
        ...createSpeculativeSlice(...a),
        ...createTourSlice(...a),
      };
      // The request builder starts on the scenario's first request.
      return { ...store, activeRequestId: store.requests[0].id };
    },
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
