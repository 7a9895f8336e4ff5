// The scenario on screen and its live session. Requests to the server take
// time; when the user opens another project meanwhile, what comes back
// belongs to the old one. Each switch bumps a generation number: async work
// takes the number when it starts and drops its results when it changed.
import { api } from '../api/client';
import { useStore } from './store';

let generation = 0;
let closeEvents: (() => void) | null = null;

export const scenarioGeneration = () => generation;

/** True while the scenario is still the one that was on screen when `gen` was taken. */
export const isCurrent = (gen: number) => gen === generation;

/** Replaces the live session's event stream (null: stop listening). */
export function setEventStream(close: (() => void) | null) {
  closeEvents?.();
  closeEvents = close;
}

/**
 * Opens another scenario: stops listening to the live session, ends it on the
 * server (best effort: it would otherwise idle until its timeout), then `load`s
 * the new scenario with fresh output, and frees Run and the lab buttons that
 * in-flight work of the old scenario was holding.
 */
export function switchScenario(load: () => void) {
  generation++;
  setEventStream(null);
  const session = useStore.getState().session;
  if (session) api.deleteSession(session.sessionId).catch(() => {});
  load();
  useStore.setState({ running: false, progress: null, busy: null });
  useStore.getState().clearLogs();
}
