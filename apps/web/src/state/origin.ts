// Where the scenario on screen came from: the user's own work, an example, a
// shared link or a lesson of the tour; and whether it was edited since (then it
// is the user's copy: for a lesson, their attempt).
// Only this slice writes it: a load or a share sets it, an edit of the
// scenario (scenario.ts) marks it edited.
import type { StateCreator } from 'zustand';
import type { Store } from './store';

export interface ScenarioOrigin {
  kind: 'local' | 'example' | 'share' | 'lesson';
  /** The example name, the share id or the lesson's slug. */
  id?: string;
  /** True once the user edited a shared or example scenario: it is now their own copy. */
  forked: boolean;
}

export interface OriginSlice {
  origin: ScenarioOrigin;
  setOrigin: (o: ScenarioOrigin) => void;
  /** The scenario was edited: a shared or example one becomes the user's own copy. */
  markEdited: () => void;
}

/** The origin after an edit. */
export const edited = (o: ScenarioOrigin): ScenarioOrigin => (o.kind === 'local' || o.forked ? o : { ...o, forked: true });

export const createOriginSlice: StateCreator<Store, [], [], OriginSlice> = (set, get) => ({
  origin: { kind: 'local', forked: false },
  setOrigin: (origin) => set({ origin }),
  markEdited: () => {
    const origin = get().origin;
    if (edited(origin) !== origin) set({ origin: edited(origin) });
  },
});
