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

const MAX_LINES = 2000;
let lineCounter = 0;
const keyOf = (e: LogEntry) => `${e.time}\u0000${e.level}\u0000${e.worker ?? e.thread ?? ''}\u0000${e.message}`;

export const createLogsSlice: StateCreator<Store, [], [], LogsSlice> = (set) => ({
  logs: [],
  logLevel: 'trace',
  logSearch: '',
  addLogs: (entries) =>
    set((s) => {
      const seen = new Set(s.logs.slice(-500).map(keyOf));
      const fresh: LogLine[] = [];
      for (const e of entries) {
        const k = keyOf(e);
        if (seen.has(k)) continue;
        seen.add(k);
        fresh.push({ ...e, id: ++lineCounter });
      }
      if (!fresh.length) return {};
      return { logs: [...s.logs, ...fresh].slice(-MAX_LINES) };
    }),
  clearLogs: () => set({ logs: [] }),
  setLogLevel: (logLevel) => set({ logLevel }),
  setLogSearch: (logSearch) => set({ logSearch }),
});

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
