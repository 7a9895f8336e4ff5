// What the playground learns beyond one run: the source analysis (config
// schema, lints), the plugin on/off comparison, request sequences, the
// virtual clock, and the mock callout services.
import type { StateCreator } from 'zustand';
import type { AdvanceResult, Analysis, Clock, MockService, PluginEffect, SequenceResult } from '../api/types';
import { edited } from './filesSlice';
import type { Store } from './store';

export interface EffectRecord {
  result: PluginEffect;
  request: { method: string; path: string };
  at: number;
}

export interface SequenceRecord {
  result: SequenceResult;
  repeat: number;
  advanceMs: number;
  at: number;
}

export interface ClockRecord extends AdvanceResult {
  ms: number;
  /** Virtual time of the session after this advance. */
  totalMs: number;
}

export interface LabSlice {
  analysis: Analysis | null;
  /** Hash of the files the analysis is for. */
  analysisHash: string | null;
  effect: EffectRecord | null;
  diffView: 'exchange' | 'effect';
  sequence: SequenceRecord | null;
  clock: Clock;
  clockLog: ClockRecord[];
  services: MockService[];
  busy: 'effect' | 'sequence' | 'advance' | 'import' | 'export' | null;
  setAnalysis: (a: Analysis | null, hash: string | null) => void;
  setEffect: (e: EffectRecord | null) => void;
  setDiffView: (v: LabSlice['diffView']) => void;
  setSequence: (s: SequenceRecord | null) => void;
  setClock: (c: Clock) => void;
  pushClock: (r: AdvanceResult, ms: number) => void;
  setServices: (s: MockService[]) => void;
  setBusy: (b: LabSlice['busy']) => void;
}

/** Lab actions that use the live session: Run waits until they are done. */
export const usesSession = (busy: LabSlice['busy']) => busy === 'effect' || busy === 'sequence' || busy === 'advance';

export const createLabSlice: StateCreator<Store, [], [], LabSlice> = (set) => ({
  analysis: null,
  analysisHash: null,
  effect: null,
  diffView: 'exchange',
  sequence: null,
  clock: 'real',
  clockLog: [],
  services: [],
  busy: null,
  setAnalysis: (analysis, analysisHash) => set({ analysis, analysisHash }),
  setEffect: (effect) => set({ effect, diffView: effect ? 'effect' : 'exchange' }),
  setDiffView: (diffView) => set({ diffView }),
  setSequence: (sequence) => set({ sequence }),
  setClock: (clock) => set((s) => ({ clock, clockLog: [], origin: edited(s.origin) })),
  pushClock: (r, ms) =>
    set((s) => ({ clockLog: [...s.clockLog.slice(-49), { ...r, ms, totalMs: r.elapsedMs ?? (s.clockLog[s.clockLog.length - 1]?.totalMs ?? 0) + ms }] })),
  setServices: (services) => set((s) => ({ services, origin: edited(s.origin) })),
  setBusy: (busy) => set({ busy }),
});
