// The Run button and what it shows: check config.yaml, then either send the
// selected request to the live session (nothing rebuilt) or POST /api/run to
// build, start a session and send it; the progress while it waits (the build
// queue, the response streaming in), the build, and the outcome the banner
// explains. Also the reset of every output pane when a scenario is loaded.
import type { StateCreator } from 'zustand';
import { checkConfigYaml } from '@playground/shared';
import { ApiFailure } from '../api/client';
import type { BuildResult, ExchangeStreamEvent, HttpRequestMessage, LogEntry, ResponseStreamEvent, RunStreamEvent, SessionInfo } from '../api/types';
import { CONFIG_FILE } from '../lib/fileNames';
import { exchangeOutcome, failureOutcome, outcomes, runOutcome, type Outcome } from '../lib/outcome';
import { applyResponseEvent, isResponseEvent, type StreamedResponse } from '../lib/streamedResponse';
import { filesRecord, selectedRequest, sessionOptions, toWire } from './scenario';
import { usesSession, type ScenarioScope } from './scenarioScope';
import { sessionHashOf } from './session';
import type { Store } from './store';

export interface RunProgress {
  phase: 'building' | 'starting' | 'sending';
  startedAt: number;
  /** From /api/health while waiting: builds ahead of ours. */
  queued?: number;
  running?: number;
  slots?: number;
}

export interface RunSlice {
  running: boolean;
  progress: RunProgress | null;
  outcome: Outcome;
  build: BuildResult | null;
  /** The build the current session runs (for download). */
  buildId: string | null;
  /** The Run's response as it streams in; null when no Run is waiting for one. */
  streaming: StreamedResponse | null;
  lastRunMs: number | null;
  /** True when the last run reused the session instead of building. */
  reused: boolean;
  setRunning: (running: boolean, progress?: RunProgress | null) => void;
  setProgress: (p: Partial<RunProgress>) => void;
  setOutcome: (o: Outcome) => void;
  setBuild: (b: BuildResult | null) => void;
  streamResponse: (e: ResponseStreamEvent) => void;
  /** Empties every output pane: run, exchanges, the live session and what the lab tasks found. */
  resetOutput: () => void;
  /** Run (the selected request, or `requestId`'s): build if the sources changed, else reuse the live session. */
  run: (requestId?: string) => Promise<void>;
}

const idle: Outcome = { kind: 'idle', title: 'Press Run (Ctrl/Cmd+Enter) to build the plugin and send the request' };

type StreamEvent = RunStreamEvent | ExchangeStreamEvent;

export const createRunSlice: StateCreator<Store, [], [], RunSlice> = (set, get) => {
  function show(outcome: Outcome) {
    const s = get();
    if (outcome.kind === 'unreachable') s.watchForServer();
    s.setOutcome(outcome);
    const failed = !['ok', 'local-reply'].includes(outcome.kind);
    if (failed && outcome.pane) s.setActivePane(outcome.pane);
    else if (!failed && s.activePane === 'build') s.setActivePane('diff');
  }

  /** What a Run shows while it waits: the phase it is in, and the response as it streams in. */
  function showProgress(e: StreamEvent) {
    if (e.type === 'build' && e.build.ok) get().setProgress({ phase: 'starting' });
    else if (e.type === 'session') get().setProgress({ phase: 'sending' });
    else if (isResponseEvent(e)) get().streamResponse(e);
  }

  /** Polls /api/health while a build runs, to show where we are in the queue. */
  function watchQueue(scope: ScenarioScope): () => void {
    let stopped = false;
    const tick = async () => {
      try {
        const h = await scope.api.health();
        if (!stopped) get().setProgress({ queued: h.builds?.queued, running: h.builds?.running, slots: h.builds?.slots });
      } catch {
        /* the run itself reports an unreachable server */
      }
      if (!stopped) timer = setTimeout(tick, 700);
    };
    let timer = setTimeout(tick, 400);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /** Sends the request to the live session; false when that session has expired (a new one is needed). */
  async function sendToSession(scope: ScenarioScope, session: SessionInfo, request: HttpRequestMessage): Promise<boolean> {
    try {
      const ex = await scope.api.exchangeStream(session.sessionId, request, showProgress);
      get().recordExchange(ex, 'run');
      set({ reused: true });
      show(exchangeOutcome(ex));
      return true;
    } catch (err) {
      // An expired session: build (from cache) and start a new one.
      if (!(err instanceof ApiFailure && (err.status === 404 || err.status === 410))) throw err;
      get().setSession(null);
      return false;
    }
  }

  /** POST /api/run: builds, starts a session (the server ends the one it replaces) and sends the request. */
  async function buildAndSend(scope: ScenarioScope, request: HttpRequestMessage, hash: string) {
    const s = get();
    // The server ends the session this run replaces: stop listening to it first.
    s.stopEvents();
    const stopWatch = watchQueue(scope);
    const res = await scope.api
      .run({ files: filesRecord(s.files), config: s.config, runtime: s.runtime, request, sessionId: s.session?.sessionId, ...sessionOptions(s) }, showProgress)
      .finally(stopWatch);
    const st = get();
    st.setBuild(res.build);
    set({ reused: false });
    const previous = st.session;
    if (res.session) st.adoptSession(res.session, hash);
    else if (res.build.ok) st.setSession(null); // the server ended the replaced session
    else if (previous) st.adoptSession(previous, st.sessionHash ?? ''); // build failed: the old plugin still runs
    if (res.error?.logs) st.addLogs(res.error.logs);
    if (res.exchange) st.recordExchange(res.exchange, 'run');
    const outcome = runOutcome(res);
    show(outcome);
    if (outcome.kind === 'invalid-yaml' && outcome.line) st.revealAt(CONFIG_FILE, outcome.line, outcome.column ?? 1);
  }

  return {
    running: false,
    progress: null,
    outcome: idle,
    build: null,
    buildId: null,
    streaming: null,
    lastRunMs: null,
    reused: false,

    setRunning: (running, progress = null) => set({ running, progress }),
    setProgress: (p) => set((s) => (s.progress ? { progress: { ...s.progress, ...p } } : {})),
    setOutcome: (outcome) => set({ outcome }),
    setBuild: (build) => set((s) => ({ build, buildId: build && build.ok ? build.buildId : s.buildId })),
    streamResponse: (e) => set((s) => ({ streaming: applyResponseEvent(s.streaming, e) })),
    resetOutput: () => {
      set({ outcome: idle, build: null, buildId: null, reused: false, lastRunMs: null, streaming: null });
      const s = get();
      s.clearExchanges();
      s.setSession(null);
      s.setEffect(null);
      s.setSequence(null);
      s.clearClockLog();
    },

    run: async (requestId) => {
      const s = get();
      if (s.running || usesSession(s.busy)) return;
      if (requestId) s.selectRequest(requestId);
      const problem = checkConfigYaml(s.config);
      if (problem) {
        show(outcomes.invalidYaml(problem.message, problem.line, problem.column));
        s.revealAt(CONFIG_FILE, problem.line, problem.column);
        return;
      }
      const request = toWire(selectedRequest(s, requestId ?? s.activeRequestId));
      const hash = sessionHashOf(s);
      const live = s.session !== null && s.sessionHash === hash ? s.session : null;
      const started = performance.now();
      const scope = s.scenarioScope();
      await scope.work(
        async (hold) => {
          s.setRunning(true, { phase: live ? 'sending' : 'building', startedAt: Date.now() });
          hold(() => set({ running: false, progress: null, streaming: null, lastRunMs: Math.round(performance.now() - started) }));
          if (live && (await sendToSession(scope, live, request))) return;
          await buildAndSend(scope, request, hash);
        },
        (err) => {
          if (err instanceof ApiFailure && Array.isArray(err.body?.logs)) get().addLogs(err.body.logs as LogEntry[]);
          show(failureOutcome(err));
        },
      );
    },
  };
};
