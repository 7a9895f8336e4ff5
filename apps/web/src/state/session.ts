// The live session: the plugin running on the server for the scenario's
// sources, config, runtime and session options (a Run starts it; the next Run
// reuses it while none of those changed). This module owns it: adopting one
// (and listening to its event stream: logs, exchanges sent through its
// gateway, its end), ending it (another scenario, the tab closing), starting
// one for the lab tasks that need it, and running those tasks one at a time.
import type { StateCreator } from 'zustand';
import { ApiFailure, api } from '../api/client';
import { subscribeSession } from '../api/events';
import type { LogEntry, SessionInfo } from '../api/types';
import { frameBatch } from '../lib/frameBatch';
import { sourcesHash } from '../lib/hash';
import { failureOutcome } from '../lib/outcome';
import { MAX_LINES } from './logs';
import { filesRecord, sessionOptions } from './scenario';
import type { Busy, ScenarioScope } from './scenarioScope';
import type { Store } from './store';

export interface SessionSlice {
  session: SessionInfo | null;
  /** sessionHashOf() the scenario the session was started from. */
  sessionHash: string | null;
  setSession: (s: SessionInfo | null, hash?: string | null) => void;
  /** Makes `session` (started from `hash`) the live one and listens to its event stream. */
  adoptSession: (session: SessionInfo, hash: string) => void;
  /** Stops listening to the live session's event stream (a Run is replacing it). */
  stopEvents: () => void;
  /** Ends the live session: stops listening, and ends it on the server (best effort). */
  endSession: () => void;
  /** Ends the live session when the tab goes away, so it does not wait for the idle timeout. */
  endSessionOnUnload: () => void;
  /** The live session for the scenario on screen, starting one (with a Run) when needed; null when that failed. */
  ensureSession: (scope: ScenarioScope) => Promise<string | null>;
  /**
   * A lab task on the live session (`busy` while it runs; refused while another task or a Run is
   * in flight); a failure is reported as `what` failed.
   */
  sessionTask: (busy: Busy, what: string, work: (scope: ScenarioScope, sessionId: string) => Promise<void>) => Promise<void>;
}

/** What a session is started from: sources, config, runtime, clock, services and gateway. */
export function sessionHashOf(s: Store): string {
  return sourcesHash(filesRecord(s.files), s.config, `${s.runtime}|${JSON.stringify(sessionOptions(s))}`);
}

export const createSessionSlice: StateCreator<Store, [], [], SessionSlice> = (set, get) => {
  let closeEvents: (() => void) | null = null;
  const stopEvents = () => {
    closeEvents?.();
    closeEvents = null;
  };

  /** Reports a failed lab task; `sessionId` is the session it was sent to. */
  const failed = (what: string, err: unknown, sessionId: string | null) => {
    if (err instanceof ApiFailure && (err.status === 404 || err.status === 410) && /session/i.test(err.message)) {
      // A Run may have replaced that session meanwhile: only forget the one that ended.
      if (get().session?.sessionId === sessionId) get().setSession(null);
      get().notify(`${what}: the plugin session ended. Try again: a new one is started.`);
    } else {
      get().notify(`${what} failed: ${err instanceof Error ? err.message : failureOutcome(err).title}`);
    }
  };

  return {
    session: null,
    sessionHash: null,

    setSession: (session, hash = null) => {
      const replaced = get().session?.sessionId !== session?.sessionId;
      set({ session, sessionHash: session ? hash : null });
      // A plugin-off comparison, a sequence and clock advances describe the session they ran in.
      if (replaced) {
        get().setEffect(null);
        get().setSequence(null);
        get().clearClockLog();
      }
    },

    adoptSession: (session, hash) => {
      stopEvents();
      get().setSession(session, hash);
      get().addLogs(session.logs ?? []);
      // A plugin may log hundreds of lines a second (a tick): they reach the store once a frame.
      const lines = frameBatch<LogEntry>((batch) => get().addLogs(batch), MAX_LINES);
      const close = subscribeSession(session.sessionId, (ev) => {
        const s = get();
        if (s.session?.sessionId !== session.sessionId) return;
        if (ev.type === 'log') {
          lines.push(ev.data);
          return;
        }
        // The lines logged before this event are listed before what it brings.
        lines.flush();
        if (ev.type === 'exchange') s.recordExchange(ev.data, 'gateway');
        else if (ev.type === 'session-ended') {
          s.setSession(null);
          s.notify('The plugin session ended (it was idle or stopped). The next Run starts a new one.');
        }
      });
      closeEvents = () => {
        close();
        lines.flush();
      };
    },

    stopEvents,

    endSession: () => {
      stopEvents();
      const session = get().session;
      if (session) api.deleteSession(session.sessionId).catch(() => {});
      get().setSession(null);
    },

    endSessionOnUnload: () => {
      window.addEventListener('pagehide', () => {
        const session = get().session;
        if (session) void fetch(api.sessionUrl(session.sessionId), { method: 'DELETE', keepalive: true }).catch(() => {});
      });
    },

    ensureSession: async (scope) => {
      const s = get();
      if (s.session && s.sessionHash === sessionHashOf(s)) return s.session.sessionId;
      await scope.until(get().run());
      const after = get();
      return after.session && after.sessionHash === sessionHashOf(after) ? after.session.sessionId : null;
    },

    sessionTask: async (busy, what, work) => {
      const s = get();
      if (s.busy || s.running) return;
      const scope = s.scenarioScope();
      let sessionId: string | null = null;
      await scope.work(
        async (hold) => {
          sessionId = await get().ensureSession(scope);
          if (!sessionId) return;
          get().setBusy(busy);
          hold(() => get().setBusy(null));
          await work(scope, sessionId);
        },
        (err) => failed(what, err, sessionId),
      );
    },
  };
};
