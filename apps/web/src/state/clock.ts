// The virtual clock: moving a virtual-clock session's time forward fires
// proxy_on_tick on schedule (POST /api/sessions/{id}/advance); the log of
// advances. Whether the clock is virtual is the scenario's (scenario.ts).
import type { StateCreator } from 'zustand';
import type { ClockAdvance } from '../api/types';
import type { Store } from './store';

export interface ClockRecord extends ClockAdvance {
  ms: number;
  /** Virtual time of the session after this advance. */
  totalMs: number;
}

export interface ClockSlice {
  clockLog: ClockRecord[];
  pushClock: (r: ClockAdvance, ms: number) => void;
  clearClockLog: () => void;
  /** Moves a virtual-clock session's time forward by `ms`. */
  advanceClock: (ms: number) => Promise<void>;
}

export const createClockSlice: StateCreator<Store, [], [], ClockSlice> = (set, get) => ({
  clockLog: [],
  pushClock: (r, ms) =>
    set((s) => ({ clockLog: [...s.clockLog.slice(-49), { ...r, ms, totalMs: r.elapsedMs ?? (s.clockLog[s.clockLog.length - 1]?.totalMs ?? 0) + ms }] })),
  clearClockLog: () => set((s) => (s.clockLog.length ? { clockLog: [] } : s)),
  advanceClock: async (ms) => {
    const s = get();
    if (s.busy || s.running) return;
    if (s.clock !== 'virtual') {
      s.notify('Advance clock works in a virtual-clock session: pick Clock: virtual, then Run.');
      return;
    }
    await s.sessionTask('advance', 'Advance clock', async (scope, sessionId) => {
      const res = await scope.api.advance(sessionId, Math.max(1, Math.round(ms)));
      get().pushClock(res, Math.round(ms));
      get().addLogs(res.logs ?? []);
    });
  },
});
