// The analysis of the sources (POST /api/analyze, 500 ms after they change):
// the config keys the plugin reads and the schema derived from them (config.yaml
// completion, hovers, warnings), and the proxy-wasm lints with their quick
// fixes. An answer for sources that have changed since is dropped.
import type { StateCreator } from 'zustand';
import { ApiFailure, api } from '../api/client';
import type { Analysis } from '../api/types';
import { sourcesHash } from '../lib/hash';
import { filesRecord } from './scenario';
import type { Store } from './store';

export interface AnalysisSlice {
  analysis: Analysis | null;
  /** Hash of the files the analysis is for. */
  analysisHash: string | null;
  setAnalysis: (a: Analysis | null, hash: string | null) => void;
  /** Analyses the sources now, unless the analysis is for them already. */
  analyzeNow: () => Promise<void>;
  /** Debounced analysis: call on every source change. */
  scheduleAnalyze: (delayMs?: number) => void;
  /** Re-analyses whenever the files change. Returns the unsubscribe function. */
  watchSourcesForAnalysis: () => () => void;
}

const filesHash = (s: Store) => sourcesHash(filesRecord(s.files), '', '');

export const createAnalysisSlice: StateCreator<Store, [], [], AnalysisSlice> = (set, get, store) => {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: AbortController | null = null;
  return {
    analysis: null,
    analysisHash: null,
    setAnalysis: (analysis, analysisHash) => set({ analysis, analysisHash }),

    analyzeNow: async () => {
      const s = get();
      const hash = filesHash(s);
      if (s.analysisHash === hash) return;
      inFlight?.abort();
      const ctl = new AbortController();
      inFlight = ctl;
      try {
        const analysis = await api.analyze(filesRecord(s.files), ctl.signal);
        if (filesHash(get()) === hash) get().setAnalysis(analysis, hash);
      } catch (err) {
        // A path the server refuses (400) and the like: no hints, no noise.
        if ((err as Error).name !== 'AbortError' && !(err instanceof ApiFailure)) throw err;
      }
    },

    scheduleAnalyze: (delayMs = 500) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        void get().analyzeNow().catch(() => {});
      }, delayMs);
    },

    watchSourcesForAnalysis: () => {
      get().scheduleAnalyze(50);
      return store.subscribe((s, prev) => {
        if (s.files !== prev.files) s.scheduleAnalyze();
      });
    },
  };
};
