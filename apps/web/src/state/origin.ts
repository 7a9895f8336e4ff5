// Where the scenario on screen came from: the user's own work, an example, a
// shared link, a lesson of the tour or that lesson's solution; and whether it
// was edited since (then it is the user's copy: for a lesson, their attempt).
// Only this slice writes it: a load, a share or Reveal solution sets it, an
// edit of the scenario (scenario.ts) marks it edited.
import type { StateCreator } from 'zustand';
import type { Store } from './store';

export interface ScenarioOrigin {
  kind: 'local' | 'example' | 'share' | 'lesson';
  /** The example name, the share id or the lesson's slug. */
  id?: string;
  /** True once the user edited a shared or example scenario: it is now their own copy. */
  forked: boolean;
  /**
   * A lesson's files are its solution, as Reveal solution loaded them: loading them is not an
   * edit (nothing of the learner's is on screen); the next edit makes them the learner's attempt.
   */
  solution?: true;
}

export interface OriginSlice {
  origin: ScenarioOrigin;
  setOrigin: (o: ScenarioOrigin) => void;
  /** The scenario was edited: a shared or example one becomes the user's own copy. */
  markEdited: () => void;
}

/** The origin after an edit (an edited solution is the learner's attempt). */
export const edited = (o: ScenarioOrigin): ScenarioOrigin =>
  o.kind === 'local' || o.forked ? o : { kind: o.kind, forked: true, ...(o.id !== undefined ? { id: o.id } : {}) };

export const createOriginSlice: StateCreator<Store, [], [], OriginSlice> = (set, get) => ({
  origin: { kind: 'local', forked: false },
  setOrigin: (origin) => set({ origin }),
  markEdited: () => {
    const origin = get().origin;
    if (edited(origin) !== origin) set({ origin: edited(origin) });
  },
});
