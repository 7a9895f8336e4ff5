// The exchanges the output panes show: answers to Run and to the lab tasks,
// and traffic sent through the live session's gateway (curl, ...), seen on
// its event stream; one of them is selected.
import type { StateCreator } from 'zustand';
import type { Exchange } from '../api/types';
import type { Store } from './store';

/** An exchange as the panes list it. */
export interface ExchangeEntry {
  id: number;
  /** 'run': sent by the Run button; 'gateway': seen on the session's event stream (curl etc.). */
  source: 'run' | 'gateway';
  at: number;
  exchange: Exchange;
}

export interface ExchangesSlice {
  exchanges: ExchangeEntry[];
  selectedExchange: number | null;
  pushExchange: (ex: Exchange, source: ExchangeEntry['source']) => void;
  /** Adds an exchange (and its logs) unless the event stream already delivered the same one. */
  recordExchange: (ex: Exchange, source: ExchangeEntry['source']) => void;
  selectExchange: (id: number) => void;
  clearExchanges: () => void;
}

export const createExchangesSlice: StateCreator<Store, [], [], ExchangesSlice> = (set, get) => {
  let counter = 0;
  return {
    exchanges: [],
    selectedExchange: null,
    pushExchange: (exchange, source) => {
      const id = ++counter;
      set((s) => ({ exchanges: [...s.exchanges.slice(-49), { id, source, at: Date.now(), exchange }], selectedExchange: id }));
      // A new Run's answer replaces an older plugin-off comparison in the Diff pane.
      if (source === 'run') get().setDiffView('exchange');
    },
    recordExchange: (ex, source) => {
      const s = get();
      const json = JSON.stringify(ex);
      const dup = s.exchanges.slice(-5).find((r) => JSON.stringify(r.exchange) === json);
      if (dup) s.selectExchange(dup.id);
      else s.pushExchange(ex, source);
      s.addLogs(ex.logs ?? []);
    },
    selectExchange: (id) => set({ selectedExchange: id }),
    clearExchanges: () => set({ exchanges: [], selectedExchange: null }),
  };
};

export function selectedExchange(s: Pick<ExchangesSlice, 'exchanges' | 'selectedExchange'>): ExchangeEntry | null {
  return s.exchanges.find((e) => e.id === s.selectedExchange) ?? s.exchanges[s.exchanges.length - 1] ?? null;
}
