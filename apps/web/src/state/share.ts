// Share links: store the scenario on the server (POST /api/share) and give
// back its /p/{id} link (which opens in the playground, a lesson's attempt
// too); open such a link (GET /api/share/{id}).
import type { StateCreator } from 'zustand';
import { ApiFailure, api } from '../api/client';
import { failureOutcome } from '../lib/outcome';
import { scenarioFields, scenarioOf } from './scenario';
import type { Store } from './store';

export interface ShareSlice {
  /** Shares the scenario; the link (also put on the clipboard), or null when that failed. */
  share: () => Promise<string | null>;
  /** Opens the shared scenario `id` (a /p/{id} address). */
  openShare: (id: string) => Promise<void>;
}

/** The share id a /p/{id} address names, or null. */
export function shareIdFromPath(pathname: string): string | null {
  const m = /^\/p\/([A-Za-z0-9_-]+)\/?$/.exec(pathname);
  return m ? m[1] : null;
}

export const createShareSlice: StateCreator<Store, [], [], ShareSlice> = (_set, get) => ({
  share: async () => {
    const s = get();
    const sent = scenarioFields(s);
    try {
      const res = await api.share(scenarioOf(s));
      const path = res.url || `/p/${res.id}`;
      const link = new URL(path, window.location.origin).toString();
      // Edits made while the share was stored are not in it: the scenario is then a copy of the share.
      const changed = scenarioFields(get()).some((v, i) => v !== sent[i]);
      // On the tour the scenario stays the learner's attempt at the lesson, at the lesson's address;
      // the link opens the same scenario in the playground.
      if (get().tourRoute.view === 'playground') {
        get().setOrigin({ kind: 'share', id: res.id, forked: changed });
        if (!changed) window.history.replaceState(null, '', path);
      }
      try {
        await navigator.clipboard.writeText(link);
      } catch {
        /* clipboard needs permission; the dialog shows the link anyway */
      }
      return link;
    } catch (err) {
      s.notify(`Share failed: ${failureOutcome(err).detail ?? 'unknown error'}`);
      return null;
    }
  },

  openShare: async (id) => {
    const scope = get().scenarioScope();
    await scope.work(
      async () => {
        const scenario = await scope.api.loadShare(id);
        get().openScenario(() => get().loadScenario(scenario, { kind: 'share', id, forked: false }));
      },
      (err) => {
        const missing = err instanceof ApiFailure && err.kind === 'not-found';
        get().notify(
          missing
            ? `The shared link /p/${id} does not exist (or has expired). You are looking at your own last scenario.`
            : `Could not open the shared link: ${failureOutcome(err).detail}`,
        );
        window.history.replaceState(null, '', '/');
      },
    );
  },
});
