// The server: its health (/api/health: Go version, runtimes, build queue,
// gateway profiles), the runtime picked among those it offers, and the watch
// that notices when an unreachable server is back.
import type { StateCreator } from 'zustand';
import { api } from '../api/client';
import type { Health, RuntimeName } from '../api/types';
import { failureOutcome } from '../lib/outcome';
import type { Store } from './store';

export interface HealthSlice {
  health: Health | null;
  healthError: string | null;
  runtime: RuntimeName;
  setHealth: (h: Health | null, error?: string | null) => void;
  setRuntime: (r: RuntimeName) => void;
  /** Checks the server once (at start, and to recover from "unreachable"); true when it answered. */
  refreshHealth: () => Promise<boolean>;
  /** After "unreachable": marks the server down and polls until it answers again. */
  watchForServer: () => void;
}

export const createHealthSlice: StateCreator<Store, [], [], HealthSlice> = (set, get) => {
  let retrying = false;
  return {
    health: null,
    healthError: null,
    runtime: 'embedded',
    setHealth: (health, healthError = null) => set({ health, healthError }),
    setRuntime: (runtime) => set({ runtime }),

    refreshHealth: async () => {
      try {
        const h = await api.health();
        const s = get();
        s.setHealth(h, null);
        if (!h.runtimes?.[s.runtime]) {
          const available = (['embedded', 'docker'] as const).find((r) => h.runtimes?.[r]);
          if (available) s.setRuntime(available);
        }
        if (s.outcome.kind === 'unreachable') s.setOutcome({ kind: 'idle', title: 'The server is back. Press Run.' });
        return true;
      } catch (err) {
        get().setHealth(null, failureOutcome(err).title);
        return false;
      }
    },

    watchForServer: () => {
      get().setHealth(null, 'unreachable');
      if (retrying) return;
      retrying = true;
      const retry = async () => {
        if (await get().refreshHealth()) retrying = false;
        else setTimeout(retry, 5000);
      };
      setTimeout(retry, 5000);
    },
  };
};
