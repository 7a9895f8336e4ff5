// The Logs pane's lines: live from the session's event stream and from each
// exchange, de-duplicated, with the pane's level filter and search text.
import type { StateCreator } from 'zustand';
import type { LogEntry } from '../api/types';
import type { Store } from './store';

export interface LogLine extends LogEntry {
  id: number;
}

export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'critical'] as const;

export interface LogsSlice {
  logs: LogLine[];
  logLevel: (typeof LEVELS)[number];
  logSearch: string;
  addLogs: (entries: LogEntry[]) => void;
  clearLogs: () => void;
  setLogLevel: (l: LogsSlice['logLevel']) => void;
  setLogSearch: (s: string) => void;
}

/** Lines the store keeps (the oldest go first). */
export const MAX_LINES = 2000;
let lineCounter = 0;
const keyOf = (e: LogEntry) => `${e.time}\u0000${e.level}\u0000${e.worker ?? e.thread ?? ''}\u0000${e.message}`;

export const createLogsSlice: StateCreator<Store, [], [], LogsSlice> = (set) => {
  // The keys of one `logs` array, so a repeat is found in O(1) as lines stream in. Kept beside the
  // array they describe: when `logs` was written elsewhere (cleared), they are read anew from it.
  let indexed: { logs: LogLine[]; keys: Set<string> } = { logs: [], keys: new Set() };
  return {
    logs: [],
    logLevel: 'trace',
    logSearch: '',
    addLogs: (entries) =>
      set((s) => {
        const keys = indexed.logs === s.logs ? indexed.keys : new Set(s.logs.map(keyOf));
        const fresh: LogLine[] = [];
        for (const e of entries) {
          const k = keyOf(e);
          if (keys.has(k)) continue;
          keys.add(k);
          fresh.push({ ...e, id: ++lineCounter });
        }
        if (!fresh.length) return {};
        const all = s.logs.concat(fresh);
        const dropped = Math.max(0, all.length - MAX_LINES);
        for (let i = 0; i < dropped; i++) keys.delete(keyOf(all[i]));
        const logs = dropped ? all.slice(dropped) : all;
        indexed = { logs, keys };
        return { logs };
      }),
    clearLogs: () => set({ logs: [] }),
    setLogLevel: (logLevel) => set({ logLevel }),
    setLogSearch: (logSearch) => set({ logSearch }),
  };
};

export function levelRank(level: string): number {
  const i = LEVELS.indexOf(level.toLowerCase() as (typeof LEVELS)[number]);
  if (i >= 0) return i;
  return level.toLowerCase() === 'warning' ? 3 : 2;
}

export function visibleLogs(logs: LogLine[], level: string, search: string): LogLine[] {
  const min = levelRank(level);
  const q = search.trim().toLowerCase();
  return logs.filter((l) => levelRank(l.level) >= min && (!q || l.message.toLowerCase().includes(q)));
}
