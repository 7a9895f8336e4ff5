// Speculative builds: a pause in typing (1 s) after the sources changed, when
// they pass the local checks (the shared path rules with main.go, and a package
// clause in every Go file), sends them to POST /api/build?speculative=1, so
// that Run finds the build in the server's cache. The server builds only on an
// idle queue (202 {skipped} otherwise) and stops for a requested build. Nothing
// of it is shown: a failure or a refusal is dropped, and it never holds Run up.
// The request in flight is cancelled when the sources change again or Run is
// pressed.
import type { StateCreator } from 'zustand';
import { DEFAULT_PATH_LIMITS, MAIN_FILE, checkFiles } from '@playground/shared';
import { api } from '../api/client';
import { sourcesHash } from '../lib/hash';
import { filesRecord } from './scenario';
import type { Store } from './store';

export const SPECULATIVE_DELAY_MS = 1000;

/** Limits the editor can check on its own; the server's own may be tighter, and then it says no. */
const LOCAL_LIMITS = { ...DEFAULT_PATH_LIMITS, maxFiles: 256, maxTotalBytes: 4 * 1024 * 1024 };

/** Whether the sources look worth building: valid paths, main.go, a package clause in every Go file. */
export function looksBuildable(files: Record<string, string>): boolean {
  if (checkFiles(files, LOCAL_LIMITS)) return false;
  if (!/^\s*package\s+main\b/m.test(files[MAIN_FILE] ?? '')) return false;
  return Object.entries(files).every(([name, text]) => !name.endsWith('.go') || /^\s*package\s+[A-Za-z_]\w*/m.test(text));
}

export interface SpeculativeSlice {
  /** The last speculative build: what happened to it, for the sources of `hash`. Never shown as an error. */
  speculative: { state: 'idle' | 'waiting' | 'building' | 'built' | 'skipped' | 'failed'; hash: string | null };
  /** Builds the sources speculatively after each pause in their edits; cancels on Run. Returns the unsubscribe function. */
  watchSourcesForSpeculativeBuilds: (delayMs?: number) => () => void;
  /** Drops the pending or in-flight speculative build. */
  cancelSpeculativeBuild: () => void;
}

export const createSpeculativeSlice: StateCreator<Store, [], [], SpeculativeSlice> = (set, get, store) => {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: AbortController | null = null;
  /** The sources the server has built (or is building) for us: no need to ask again. */
  let builtHash: string | null = null;

  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    inFlight?.abort();
    inFlight = null;
    if (get().speculative.state === 'waiting' || get().speculative.state === 'building') set({ speculative: { state: 'idle', hash: null } });
  };

  const buildNow = async () => {
    timer = null;
    const s = get();
    if (s.running) return; // Run builds these sources itself
    const files = filesRecord(s.files);
    const hash = sourcesHash(files, '', '');
    if (hash === builtHash || !looksBuildable(files)) return;
    const ctl = new AbortController();
    inFlight = ctl;
    set({ speculative: { state: 'building', hash } });
    try {
      const res = await api.speculativeBuild(files, ctl.signal);
      if (inFlight !== ctl) return;
      const skipped = 'skipped' in res;
      // A build that failed is in the cache as well: Run shows its errors at once.
      if (!skipped) builtHash = hash;
      set({ speculative: { state: skipped ? 'skipped' : 'built', hash } });
    } catch {
      // Cancelled, unreachable, refused: a speculative build has nothing to report.
      if (inFlight === ctl) set({ speculative: { state: 'failed', hash } });
    } finally {
      if (inFlight === ctl) inFlight = null;
    }
  };

  const schedule = (delayMs: number) => {
    cancel();
    set({ speculative: { state: 'waiting', hash: null } });
    timer = setTimeout(() => void buildNow(), delayMs);
  };

  return {
    speculative: { state: 'idle', hash: null },
    cancelSpeculativeBuild: cancel,
    watchSourcesForSpeculativeBuilds: (delayMs = SPECULATIVE_DELAY_MS) =>
      store.subscribe((s, prev) => {
        if (s.running && !prev.running) cancel();
        else if (s.files !== prev.files) schedule(delayMs);
      }),
  };
};
