// Layout and look: theme, pane sizes, which output pane and dialogs are open,
// and the notice line.
import type { StateCreator } from 'zustand';
import type { Minimums } from '../lib/split';
import type { Store } from './store';

export const PANE_IDS = ['response', 'diff', 'logs', 'timeline', 'sequence', 'redis', 'build'] as const;
export type PaneId = (typeof PANE_IDS)[number];

export interface LayoutSlice {
  theme: 'dark' | 'light';
  activePane: PaneId;
  /** Editor column width as a fraction of the window. */
  editorWidth: number;
  /** Request builder height as a fraction of the right column. */
  requestHeight: number;
  helpOpen: boolean;
  examplesOpen: boolean;
  notice: string | null;
  setTheme: (t: LayoutSlice['theme']) => void;
  setActivePane: (p: PaneId) => void;
  setEditorWidth: (f: number) => void;
  setRequestHeight: (f: number) => void;
  setHelpOpen: (open: boolean) => void;
  setExamplesOpen: (open: boolean) => void;
  notify: (message: string | null) => void;
}

/**
 * The least sizes, in px, the dividers leave (lib/split.ts), whatever fraction is stored: the
 * editor column (the tree's 150 and a readable width of code) beside the request and output
 * column (the request line, the output tabs); the request builder above the output panes.
 */
export const EDITOR_COLUMNS: Minimums = [400, 440];
export const REQUEST_ROWS: Minimums = [100, 150];

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
/** Pane sizes are kept where both sides stay usable. */
export const clampEditorWidth = (f: number) => clamp(f, 0.25, 0.75);
export const clampRequestHeight = (f: number) => clamp(f, 0.15, 0.75);

export const createLayoutSlice: StateCreator<Store, [], [], LayoutSlice> = (set) => ({
  theme: 'dark',
  activePane: 'diff',
  editorWidth: 0.5,
  requestHeight: 0.34,
  helpOpen: false,
  examplesOpen: false,
  notice: null,
  setTheme: (theme) => set({ theme }),
  setActivePane: (activePane) => set({ activePane }),
  setEditorWidth: (f) => set({ editorWidth: clampEditorWidth(f) }),
  setRequestHeight: (f) => set({ requestHeight: clampRequestHeight(f) }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setExamplesOpen: (examplesOpen) => set({ examplesOpen }),
  notify: (notice) => set({ notice }),
});
