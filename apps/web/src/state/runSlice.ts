// What the last runs produced: the build, the live session, the exchanges
// (from the Run button and from traffic through the gateway), the outcome.
import type { StateCreator } from 'zustand';
import type { BuildResult, Exchange, Health, ResponseStreamEvent, Runtime, SessionInfo } from '../api/types';
import type { Outcome } from '../lib/outcome';
import { applyResponseEvent, type StreamedResponse } from '../lib/streamedResponse';
import type { Store } from './store';

export interface ExchangeRecord {
  id: number;
  /** 'run': sent by the Run button; 'gateway': seen on the session's event stream (curl etc.). */
  source: 'run' | 'gateway';
  at: number;
  exchange: Exchange;
}

export interface RunProgress {
  phase: 'building' | 'starting' | 'sending';
  startedAt: number;
  /** From /api/health while waiting: builds ahead of ours. */
  queued?: number;
  running?: number;
  slots?: number;
}

export interface RunSlice {
  health: Health | null;
  healthError: string | null;
  runtime: Runtime;
  running: boolean;
  progress: RunProgress | null;
  outcome: Outcome;
  build: BuildResult | null;
  /** The build the current session runs (for download). */
  buildId: string | null;
  session: SessionInfo | null;
  /** sourcesHash() of what the session was started from. */
  sessionHash: string | null;
  exchanges: ExchangeRecord[];
  selectedExchange: number | null;
  /** The Run's response as it streams in; null when no Run is waiting for one. */
  streaming: StreamedResponse | null;
  lastRunMs: number | null;
  /** True when the last run reused the session instead of building. */
  reused: boolean;
  setHealth: (h: Health | null, error?: string | null) => void;
  setRuntime: (r: Runtime) => void;
  setRunning: (running: boolean, progress?: RunProgress | null) => void;
  setProgress: (p: Partial<RunProgress>) => void;
  setOutcome: (o: Outcome) => void;
  setBuild: (b: BuildResult | null) => void;
  setSession: (s: SessionInfo | null, hash?: string | null) => void;
  pushExchange: (ex: Exchange, source: ExchangeRecord['source']) => void;
  selectExchange: (id: number) => void;
  streamResponse: (e: ResponseStreamEvent) => void;
  resetOutput: () => void;
}

const idle: Outcome = { kind: 'idle', title: 'Press Run (Ctrl/Cmd+Enter) to build the plugin and send the request' };
let exchangeCounter = 0;

export const createRunSlice: StateCreator<Store, [], [], RunSlice> = (set, get) => ({
  health: null,
  healthError: null,
  runtime: 'embedded',
  running: false,
  progress: null,
  outcome: idle,
  build: null,
  buildId: null,
  session: null,
  sessionHash: null,
  exchanges: [],
  selectedExchange: null,
  streaming: null,
  lastRunMs: null,
  reused: false,

  setHealth: (health, healthError = null) => set({ health, healthError }),
  setRuntime: (runtime) => set({ runtime }),
  setRunning: (running, progress = null) => set({ running, progress }),
  setProgress: (p) => set((s) => (s.progress ? { progress: { ...s.progress, ...p } } : {})),
  setOutcome: (outcome) => set({ outcome }),
  setBuild: (build) => set({ build, buildId: build && build.ok ? build.buildId : get().buildId }),
  setSession: (session, hash = null) =>
    set((s) => ({
      session,
      sessionHash: session ? hash : null,
      // A plugin-off comparison, a sequence and clock advances describe the session they ran in.
      ...(s.session?.sessionId !== session?.sessionId ? { effect: null, diffView: 'exchange' as const, sequence: null, clockLog: [] } : {}),
    })),
  pushExchange: (exchange, source) => {
    const id = ++exchangeCounter;
    set((s) => ({
      exchanges: [...s.exchanges.slice(-49), { id, source, at: Date.now(), exchange }],
      selectedExchange: id,
      // A new Run's answer replaces an older plugin-off comparison in the Diff pane.
      ...(source === 'run' ? { diffView: 'exchange' as const } : {}),
    }));
  },
  selectExchange: (id) => set({ selectedExchange: id }),
  streamResponse: (e) => set((s) => ({ streaming: applyResponseEvent(s.streaming, e) })),
  resetOutput: () =>
    set({
      outcome: idle,
      build: null,
      buildId: null,
      reused: false,
      lastRunMs: null,
      exchanges: [],
      selectedExchange: null,
      streaming: null,
      session: null,
      sessionHash: null,
      effect: null,
      diffView: 'exchange',
      sequence: null,
      clockLog: [],
    }),
});

export function selectedExchange(s: Pick<RunSlice, 'exchanges' | 'selectedExchange'>): ExchangeRecord | null {
  return s.exchanges.find((e) => e.id === s.selectedExchange) ?? s.exchanges[s.exchanges.length - 1] ?? null;
}
