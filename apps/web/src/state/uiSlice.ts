// Layout and look: theme, pane sizes, which output pane and dialogs are open,
// and "reveal this spot in the editor" requests from the Build pane.
import type { StateCreator } from 'zustand';
import type { Store } from './store';

export const PANE_IDS = ['response', 'diff', 'logs', 'timeline', 'sequence', 'redis', 'build'] as const;
export type PaneId = (typeof PANE_IDS)[number];

export interface RevealTarget {
  file: string;
  line: number;
  column: number;
  nonce: number;
}

export interface UiSlice {
  theme: 'dark' | 'light';
  activePane: PaneId;
  /** Editor column width as a fraction of the window. */
  editorWidth: number;
  /** Request builder height as a fraction of the right column. */
  requestHeight: number;
  helpOpen: boolean;
  examplesOpen: boolean;
  reveal: RevealTarget | null;
  notice: string | null;
  setTheme: (t: UiSlice['theme']) => void;
  setActivePane: (p: PaneId) => void;
  setEditorWidth: (f: number) => void;
  setRequestHeight: (f: number) => void;
  setHelpOpen: (open: boolean) => void;
  setExamplesOpen: (open: boolean) => void;
  revealAt: (file: string, line: number, column: number) => void;
  notify: (message: string | null) => void;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
/** Pane sizes are kept where both sides stay usable. */
export const clampEditorWidth = (f: number) => clamp(f, 0.25, 0.75);
export const clampRequestHeight = (f: number) => clamp(f, 0.15, 0.75);
let nonce = 0;

export const createUiSlice: StateCreator<Store, [], [], UiSlice> = (set) => ({
  theme: 'dark',
  activePane: 'diff',
  editorWidth: 0.5,
  requestHeight: 0.34,
  helpOpen: false,
  examplesOpen: false,
  reveal: null,
  notice: null,
  setTheme: (theme) => set({ theme }),
  setActivePane: (activePane) => set({ activePane }),
  setEditorWidth: (f) => set({ editorWidth: clampEditorWidth(f) }),
  setRequestHeight: (f) => set({ requestHeight: clampRequestHeight(f) }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setExamplesOpen: (examplesOpen) => set({ examplesOpen }),
  revealAt: (file, line, column) =>
    set((s) => ({
      reveal: { file, line, column, nonce: ++nonce },
      activeFile: file,
      openTabs: file === 'config.yaml' || s.openTabs.includes(file) ? s.openTabs : [...s.openTabs, file],
    })),
  notify: (notice) => set({ notice }),
});
