// The Go intelligence client (client.ts) bound to the store: the project's
// files, whether /api/health offers intelligence, the note beside the tabs
// (state/intelligence.ts), edits as they are made, another scenario opened (the
// scenario's AbortSignal, state/scenarioScope.ts: a reset, and the new files
// are a starting point, not an edit), and the tab going away. Started once,
// from the editor's chunk (editor/goIntelligence.ts): no Monaco here.
import type { Diagnostic } from '../api/types';
import { intelligenceOffered } from '../state/intelligence';
import { filesRecord } from '../state/scenario';
import { useStore } from '../state/store';
import { LspClient, type LspClientOptions } from './client';

export interface Connected {
  client: LspClient;
  /** Stops following the store (tests). */
  stop: () => void;
}

export function connectIntelligence(
  onDiagnostics: (diagnostics: Diagnostic[] | null) => void,
  options: Partial<LspClientOptions> = {},
): Connected {
  const client = new LspClient({
    files: () => filesRecord(useStore.getState().files),
    enabled: () => intelligenceOffered(useStore.getState().health) === true,
    onStatus: (view) => useStore.getState().setIntelligence(view),
    onDiagnostics,
    ...options,
  });
  client.rebase();
  let stopped = false;

  // openScenario aborts the old scenario's signal, then loads the new one in the same task.
  let switching = false;
  const followScenario = () => {
    const signal = useStore.getState().scenarioScope().signal;
    signal.addEventListener(
      'abort',
      () => {
        if (stopped) return;
        client.reset();
        switching = true;
        setTimeout(() => {
          switching = false;
          client.rebase();
          if (!stopped) followScenario();
        }, 0);
      },
      { once: true },
    );
  };
  followScenario();

  const unsubscribe = useStore.subscribe((s, prev) => {
    if (s.files !== prev.files && !switching) client.filesChanged();
  });
  const leave = () => client.close();
  if (typeof window !== 'undefined') window.addEventListener('pagehide', leave);
  return {
    client,
    stop: () => {
      stopped = true;
      unsubscribe();
      if (typeof window !== 'undefined') window.removeEventListener('pagehide', leave);
      client.reset();
    },
  };
}
