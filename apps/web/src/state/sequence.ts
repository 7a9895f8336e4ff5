// Sequences: the saved requests (or the selected one) sent `repeat` times
// through the live session's VM, so plugin state carries over
// (POST /api/sessions/{id}/sequence); the Sequence pane charts the steps.
import type { StateCreator } from 'zustand';
import type { SequenceResult } from '../api/types';
import { selectedRequest, toWire } from './scenario';
import type { Store } from './store';

export interface SequenceRecord {
  result: SequenceResult;
  repeat: number;
  advanceMs: number;
  at: number;
}

export interface SequenceSlice {
  sequence: SequenceRecord | null;
  setSequence: (s: SequenceRecord | null) => void;
  runSequence: (opts: { which: 'selected' | 'all'; repeat: number; advanceMs: number }) => Promise<void>;
}

export const createSequenceSlice: StateCreator<Store, [], [], SequenceSlice> = (set, get) => ({
  sequence: null,
  setSequence: (sequence) => set({ sequence }),
  runSequence: (opts) =>
    get().sessionTask('sequence', 'The sequence', async (scope, sessionId) => {
      const s = get();
      const requests = opts.which === 'all' ? s.requests.map(toWire) : [toWire(selectedRequest(s))];
      const repeat = Math.max(1, Math.min(200, Math.round(opts.repeat) || 1));
      const advanceMs = Math.max(0, Math.round(opts.advanceMs) || 0);
      const result = await scope.api.sequence(sessionId, { requests, repeat, ...(advanceMs ? { advanceMs } : {}) });
      get().setSequence({ result, repeat, advanceMs, at: Date.now() });
      for (const ex of result.exchanges ?? []) get().addLogs(ex.logs ?? []);
      const last = result.exchanges?.[result.exchanges.length - 1];
      if (last) get().pushExchange(last, 'run');
      get().setActivePane('sequence');
    }),
});
