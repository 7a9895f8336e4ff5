// What the playground learns beyond one run: the source analysis (config
// schema, lints), the plugin on/off comparison, request sequences, the
// virtual clock, the services the gateway has, and the gateway profile.
import type { StateCreator } from 'zustand';
import type { AdvanceResult, Analysis, Clock, GatewaySettings, PluginEffect, SequenceResult, Service } from '../api/types';
import { withValidUpstream } from '../lib/services';
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
  /** The services the gateway has: HTTP callouts, Redis, the LLM stand-in. */
  services: Service[];
  /** The gateway the session reproduces: a profile and the settings changed from it. */
  gateway: GatewaySettings;
  busy: 'effect' | 'sequence' | 'advance' | 'import' | 'export' | null;
  setAnalysis: (a: Analysis | null, hash: string | null) => void;
  setEffect: (e: EffectRecord | null) => void;
  setDiffView: (v: LabSlice['diffView']) => void;
  setSequence: (s: SequenceRecord | null) => void;
  setClock: (c: Clock) => void;
  pushClock: (r: AdvanceResult, ms: number) => void;
  setServices: (s: Service[]) => void;
  setGateway: (g: GatewaySettings) => void;
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
  gateway: { profile: 'higress' },
  busy: null,
  setAnalysis: (analysis, analysisHash) => set({ analysis, analysisHash }),
  setEffect: (effect) => set({ effect, diffView: effect ? 'effect' : 'exchange' }),
  setDiffView: (diffView) => set({ diffView }),
  setSequence: (sequence) => set({ sequence }),
  setClock: (clock) => set((s) => ({ clock, clockLog: [], origin: edited(s.origin) })),
  pushClock: (r, ms) =>
    set((s) => ({ clockLog: [...s.clockLog.slice(-49), { ...r, ms, totalMs: r.elapsedMs ?? (s.clockLog[s.clockLog.length - 1]?.totalMs ?? 0) + ms }] })),
  // A route to an LLM service that was removed or renamed goes back to httpbin.
  setServices: (services) => set((s) => ({ services, gateway: withValidUpstream(s.gateway, services), origin: edited(s.origin) })),
  setGateway: (gateway) => set((s) => ({ gateway, origin: edited(s.origin) })),
  setBusy: (busy) => set({ busy }),
});
