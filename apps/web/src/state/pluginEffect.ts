// Compare with plugin off: the selected request sent through the plugin and
// around it in the live session (POST /api/sessions/{id}/plugin-effect), and
// the Diff pane's choice between that comparison and the selected exchange.
import type { StateCreator } from 'zustand';
import type { PluginComparison } from '../api/types';
import { selectedRequest, toWire } from './scenario';
import type { Store } from './store';

export interface EffectRecord {
  result: PluginComparison;
  request: { method: string; path: string };
  at: number;
}

export interface PluginEffectSlice {
  effect: EffectRecord | null;
  diffView: 'exchange' | 'effect';
  setEffect: (e: EffectRecord | null) => void;
  setDiffView: (v: PluginEffectSlice['diffView']) => void;
  /** Sends the selected request through the plugin and around it; the Diff pane shows the difference. */
  comparePluginOff: () => Promise<void>;
}

export const createPluginEffectSlice: StateCreator<Store, [], [], PluginEffectSlice> = (set, get) => ({
  effect: null,
  diffView: 'exchange',
  setEffect: (effect) => set({ effect, diffView: effect ? 'effect' : 'exchange' }),
  setDiffView: (diffView) => set({ diffView }),
  comparePluginOff: () =>
    get().sessionTask('effect', 'Compare with plugin off', async (scope, sessionId) => {
      const request = toWire(selectedRequest(get()));
      const result = await scope.api.pluginEffect(sessionId, request);
      get().setEffect({ result, request: { method: request.method, path: request.path }, at: Date.now() });
      get().addLogs(result.withPlugin.logs ?? []);
      get().setActivePane('diff');
    }),
});
