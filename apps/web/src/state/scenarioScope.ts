// The scenario on screen and the work in flight for it. Requests to the server
// take time; when the user opens another scenario meanwhile, what comes back
// belongs to the old one. Each scenario has an AbortSignal, aborted when
// another is opened; work takes the scope of the scenario it started for, and
// this module is the one place where what outlives its scenario is dropped:
// the scope's API calls fail with an AbortError once the scenario is gone (the
// request is cancelled, or its late answer dropped; a late Run's session is
// ended), and `scope.work` ends quietly on it and leaves alone what the switch
// already freed.
import type { StateCreator } from 'zustand';
import { api } from '../api/client';
import type { CheckRequest, ExchangeStreamEvent, HttpRequestMessage, RunRequestInput, RunStreamEvent, SequenceRequestInput } from '../api/types';
import type { Store } from './store';

/** The lab task in flight: one at a time, and Run waits while one uses the live session. */
export type Busy = 'effect' | 'sequence' | 'advance' | 'import' | 'export';

/** Lab tasks that use the live session: Run waits until they are done. */
export const usesSession = (busy: Busy | null) => busy === 'effect' || busy === 'sequence' || busy === 'advance';

const stale = () => new DOMException('another scenario was opened', 'AbortError');

/**
 * `work`'s outcome while the scenario of `signal` is open; once it is not, an AbortError at once,
 * and a result that still comes goes to `orphan`.
 */
function untilSwitch<T>(signal: AbortSignal, work: Promise<T>, orphan?: (late: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const gone = () => reject(stale());
    if (signal.aborted) gone();
    else signal.addEventListener('abort', gone, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', gone);
        if (signal.aborted) orphan?.(value);
        else resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', gone);
        if (!signal.aborted) reject(err);
      },
    );
  });
}

/** The API calls scenario work makes, bound to its scenario (events after a switch are not handed on). */
function boundApi(signal: AbortSignal) {
  const bound = <T>(work: Promise<T>, orphan?: (late: T) => void) => untilSwitch(signal, work, orphan);
  const live =
    <E>(onEvent: (e: E) => void) =>
    (e: E) => {
      if (!signal.aborted) onEvent(e);
    };
  return {
    health: () => bound(api.health(signal)),
    // Not cancelled: the server would start the session anyway; a late one is ended instead.
    run: (req: RunRequestInput, onEvent: (e: RunStreamEvent) => void) =>
      bound(api.run(req, live(onEvent)), (late) => {
        if (late.session) api.deleteSession(late.session.sessionId).catch(() => {});
      }),
    exchangeStream: (sessionId: string, req: HttpRequestMessage, onEvent: (e: ExchangeStreamEvent) => void) =>
      bound(api.exchangeStream(sessionId, req, live(onEvent), signal)),
    pluginEffect: (sessionId: string, req: HttpRequestMessage) => bound(api.pluginEffect(sessionId, req, signal)),
    sequence: (sessionId: string, req: SequenceRequestInput) => bound(api.sequence(sessionId, req, signal)),
    advance: (sessionId: string, ms: number) => bound(api.advance(sessionId, ms, signal)),
    importZip: (zip: Blob) => bound(api.importZip(zip, signal)),
    buildInfo: (buildId: string) => bound(api.buildInfo(buildId, signal)),
    loadShare: (id: string) => bound(api.loadShare(id, signal)),
    example: (name: string) => bound(api.example(name, signal)),
    lesson: (key: string) => bound(api.lesson(key, signal)),
    check: (req: CheckRequest) => bound(api.check(req, signal)),
  };
}

/** Work on the scenario that was on screen when the scope was taken. */
export class ScenarioScope {
  readonly api: ReturnType<typeof boundApi>;

  constructor(readonly signal: AbortSignal) {
    this.api = boundApi(signal);
  }

  /** `work`'s outcome while this scenario is open, else an AbortError (for promises that are not API calls). */
  until<T>(work: Promise<T>): Promise<T> {
    return untilSwitch(this.signal, work);
  }

  /**
   * Does `work` for this scenario. What it `hold`s (Run, a busy flag) is released when it ends,
   * unless another scenario was opened meanwhile: the switch freed it, and it may be newer work's
   * by then. A failure goes to `fail`, unless it came after a switch (the AbortError of the
   * scope's calls, or anything else): nobody is looking at that scenario any more.
   */
  async work(work: (hold: (release: () => void) => void) => Promise<void>, fail: (err: unknown) => void): Promise<void> {
    const releases: (() => void)[] = [];
    try {
      await work((release) => releases.push(release));
    } catch (err) {
      if (!this.signal.aborted) fail(err);
    } finally {
      if (!this.signal.aborted) for (const release of releases) release();
    }
  }
}

export interface ScenarioScopeSlice {
  busy: Busy | null;
  setBusy: (b: Busy | null) => void;
  /** The scope of the scenario on screen, for work that starts now. */
  scenarioScope: () => ScenarioScope;
  /**
   * Opens another scenario: drops the work of the one on screen, ends its live session (best
   * effort: it would otherwise idle until its timeout), then `load`s the new scenario, and frees
   * Run and the lab buttons that work of the old one was holding.
   */
  openScenario: (load: () => void) => void;
}

export const createScenarioScopeSlice: StateCreator<Store, [], [], ScenarioScopeSlice> = (set, get) => {
  let current = new AbortController();
  return {
    busy: null,
    setBusy: (busy) => set({ busy }),
    scenarioScope: () => new ScenarioScope(current.signal),
    openScenario: (load) => {
      current.abort();
      current = new AbortController();
      get().endSession();
      load();
      set({ busy: null });
      get().setRunning(false);
      get().clearLogs();
    },
  };
};
