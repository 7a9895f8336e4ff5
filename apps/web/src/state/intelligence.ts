// Go intelligence (gopls on the server, behind /api/lsp): whether it is on for
// the scenario on screen, for the note beside the editor's tabs. The client
// that talks to the server (lsp/client.ts) and its providers in the editor
// (editor/goIntelligence.ts) live in the editor's chunk and write this state;
// whether the server offers intelligence at all comes from /api/health
// (health.ts). Never saved.
import type { StateCreator } from 'zustand';
import type { Health } from '../api/types';
import type { Store } from './store';

/** What the client knows of its workspace. */
export interface IntelligenceView {
  /**
   * `idle`: no workspace yet (one is opened on the first edit, completion or hover of a Go file);
   * `starting`: opened, gopls loading the project; `on`: gopls answered; `off`: see `note`.
   */
  state: 'idle' | 'starting' | 'on' | 'off';
  /** Why it is off (the server's words). */
  note?: string;
  /** Off for now only (idle time, another project took its place): the next edit opens a new workspace. */
  retry?: boolean;
  /** The gopls version the server runs. */
  gopls?: string;
}

export interface IntelligenceSlice {
  intelligence: IntelligenceView;
  setIntelligence: (v: IntelligenceView) => void;
}

export const createIntelligenceSlice: StateCreator<Store, [], [], IntelligenceSlice> = (set) => ({
  intelligence: { state: 'idle' },
  setIntelligence: (intelligence) => set({ intelligence }),
});

/** Whether the server offers intelligence: true, false, or null while its health is not known. */
export function intelligenceOffered(health: Health | null): boolean | null {
  if (!health) return null;
  return health.intelligence?.available === true;
}

export interface IntelligenceNote {
  state: 'on' | 'starting' | 'off';
  /** The words on screen: "on", "starting…", "off (…)". */
  text: string;
  /** More detail, for the tooltip. */
  title: string;
}

/** The note beside the editor's tabs; null while the server's health is not known. */
export function intelligenceNote(health: Health | null, view: IntelligenceView): IntelligenceNote | null {
  if (!health) return null;
  const offered = health.intelligence;
  if (!offered?.available) {
    const why = offered?.reason ?? 'this server does not offer it';
    return {
      state: 'off',
      text: `off (${why})`,
      title: `Go intelligence is off: ${why}. Editing, Format and Run work as before.`,
    };
  }
  const gopls = view.gopls ?? offered.gopls;
  const by = gopls ? `gopls ${gopls}` : 'gopls';
  switch (view.state) {
    case 'starting':
      return { state: 'starting', text: 'starting…', title: `${by} is loading the project` };
    case 'off':
      return view.retry
        ? {
            state: 'off',
            text: `off (${view.note ?? 'stopped'}; back when you type)`,
            title: `${view.note ?? 'stopped'}. The next edit, completion or hover starts it again.`,
          }
        : {
            state: 'off',
            text: `off (${view.note ?? 'stopped'})`,
            title: `${view.note ?? 'stopped'}. Editing, Format and Run work as before; opening another project tries again.`,
          };
    default:
      return {
        state: 'on',
        text: 'on',
        title: `Completion, hover, signature help, go to definition (F12) and type errors while typing, by ${by}${view.state === 'idle' ? ' (starts at the first edit or hover of a Go file)' : ''}`,
      };
  }
}
