// What the toolbar buttons do: run, format, share, open examples and shared
// links, check health. They call the API and write results into the store.
import { ApiFailure, api } from '../api/client';
import { subscribeSession } from '../api/events';
import type { Exchange, ExchangeStreamEvent, LogEntry, RunRequest, RunResponse, RunStreamEvent, SessionInfo } from '../api/types';
import { CONFIG_FILE } from '../lib/fileNames';
import { sourcesHash } from '../lib/hash';
import { exchangeOutcome, failureOutcome, outcomes, runOutcome, type Outcome } from '../lib/outcome';
import { isResponseEvent } from '../lib/streamedResponse';
import { checkYaml } from '../lib/yaml';
import { filesRecord } from './filesSlice';
import { usesSession } from './labSlice';
import { toWire } from './requestsSlice';
import { isCurrent, scenarioGeneration, setEventStream, switchScenario } from './scenarioSwitch';
import { useStore } from './store';

const get = () => useStore.getState();

function adoptSession(session: SessionInfo, hash: string) {
  setEventStream(null);
  get().setSession(session, hash);
  get().addLogs(session.logs ?? []);
  setEventStream(subscribeSession(session.sessionId, (ev) => {
    const s = get();
    if (s.session?.sessionId !== session.sessionId) return;
    if (ev.type === 'log') s.addLogs([ev.data]);
    else if (ev.type === 'exchange') recordExchange(ev.data, 'gateway');
    else if (ev.type === 'session-ended') {
      s.setSession(null);
      s.notify('The plugin session ended (it was idle or stopped). The next Run starts a new one.');
    }
  }));
}

/** Adds an exchange unless the event stream already delivered the same one. */
function recordExchange(ex: Exchange, source: 'run' | 'gateway') {
  const s = get();
  const json = JSON.stringify(ex);
  const dup = s.exchanges.slice(-5).find((r) => JSON.stringify(r.exchange) === json);
  if (dup) s.selectExchange(dup.id);
  else s.pushExchange(ex, source);
  s.addLogs(ex.logs ?? []);
}

function show(outcome: Outcome) {
  const s = get();
  if (outcome.kind === 'unreachable') watchForServer();
  s.setOutcome(outcome);
  const failed = !['ok', 'local-reply'].includes(outcome.kind);
  if (failed && outcome.pane) s.setActivePane(outcome.pane);
  else if (!failed && s.activePane === 'build') s.setActivePane('diff');
}

/** Polls /api/health while a build runs, to show where we are in the queue. */
function watchQueue(): () => void {
  let stopped = false;
  const gen = scenarioGeneration();
  const tick = async () => {
    if (stopped) return;
    try {
      const h = await api.health();
      if (!stopped && isCurrent(gen)) get().setProgress({ queued: h.builds?.queued, running: h.builds?.running, slots: h.builds?.slots });
    } catch {
      /* the run itself reports an unreachable server */
    }
    if (!stopped) timer = setTimeout(tick, 700);
  };
  let timer = setTimeout(tick, 400);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

type StreamEvent = RunStreamEvent | ExchangeStreamEvent;

/**
 * POST /api/run (streamed: `onEvent` hears of the build, the session and the
 * response as they happen); on a server without that route, the same steps
 * through the primitive routes (build, then session, then exchange).
 */
async function runOnServer(req: RunRequest, onEvent: (e: StreamEvent) => void): Promise<RunResponse> {
  try {
    return await api.run(req, onEvent);
  } catch (err) {
    if (!(err instanceof ApiFailure && err.status === 404 && /no route/i.test(err.message))) throw err;
  }
  const build = await api.build(req.files);
  if (!build.ok) return { build, session: null, exchange: null };
  onEvent({ type: 'build', build });
  if (req.sessionId) api.deleteSession(req.sessionId).catch(() => {});
  let session: SessionInfo;
  try {
    session = await api.createSession({ buildId: build.buildId, config: req.config, runtime: req.runtime, clock: req.clock, services: req.services, gateway: req.gateway });
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 422) {
      const b = err.body ?? {};
      return {
        build,
        session: null,
        exchange: null,
        error: { error: err.message, line: b.line as number | undefined, column: b.column as number | undefined, logs: b.logs as LogEntry[] | undefined },
      };
    }
    if (err instanceof ApiFailure && err.status === 404) {
      return { build, session: null, exchange: null, error: { error: 'The plugin was built, but this server cannot run it (it has no sessions API).' } };
    }
    throw err;
  }
  onEvent({ type: 'session', session });
  const exchange = await api.exchange(session.sessionId, req.request);
  return { build, session, exchange };
}

/** What a Run shows while it waits: the phase it is in, and the response as it streams in. */
function showProgress(gen: number) {
  return (e: StreamEvent) => {
    if (!isCurrent(gen)) return;
    if (e.type === 'build' && e.build.ok) get().setProgress({ phase: 'starting' });
    else if (e.type === 'session') get().setProgress({ phase: 'sending' });
    else if (isResponseEvent(e)) get().streamResponse(e);
  };
}

/** Session options beyond the config, sent only when they differ from the defaults (so shares stay small). */
function sessionExtras(): { clock?: 'virtual'; services?: RunRequest['services']; gateway?: RunRequest['gateway'] } {
  const s = get();
  const services = s.services.filter((x) => x.name.trim());
  const gatewayIsDefault = s.gateway.profile === 'higress' && Object.keys(s.gateway).length === 1;
  return {
    ...(s.clock === 'virtual' ? { clock: 'virtual' as const } : {}),
    ...(services.length ? { services } : {}),
    ...(gatewayIsDefault ? {} : { gateway: s.gateway }),
  };
}

/** What the live session was started from: sources, config, runtime, clock and mock services. */
export function currentHash(): string {
  const s = get();
  return sourcesHash(filesRecord(s.files), s.config, `${s.runtime}|${JSON.stringify(sessionExtras())}`);
}

/**
 * The Run button: build if the sources changed, else reuse the live session.
 * After each await the result is dropped if another scenario was opened meanwhile.
 */
export async function run(requestId?: string): Promise<void> {
  const s = get();
  if (s.running || usesSession(s.busy)) return;
  if (requestId) s.selectRequest(requestId);
  const req = s.requests.find((r) => r.id === (requestId ?? s.activeRequestId)) ?? s.requests[0];
  const yamlProblem = checkYaml(s.config);
  if (yamlProblem) {
    show(outcomes.invalidYaml(yamlProblem.message, yamlProblem.line, yamlProblem.column));
    s.revealAt(CONFIG_FILE, yamlProblem.line, yamlProblem.column);
    return;
  }
  const files = filesRecord(s.files);
  const hash = currentHash();
  const request = toWire(req);
  const started = performance.now();
  const reuse = s.session !== null && s.sessionHash === hash;
  const gen = scenarioGeneration();
  let stopWatch: (() => void) | null = null;
  try {
    s.setRunning(true, { phase: reuse ? 'sending' : 'building', startedAt: Date.now() });
    if (reuse && s.session) {
      try {
        const ex = await api.exchangeStream(s.session.sessionId, request, showProgress(gen));
        if (!isCurrent(gen)) return;
        recordExchange(ex, 'run');
        useStore.setState({ reused: true });
        show(exchangeOutcome(ex));
        return;
      } catch (err) {
        // An expired session: build (from cache) and start a new one.
        if (!(err instanceof ApiFailure && (err.status === 404 || err.status === 410))) throw err;
        if (!isCurrent(gen)) return;
        get().setSession(null);
      }
    }
    // The server ends the session this run replaces: stop listening to it first.
    setEventStream(null);
    stopWatch = watchQueue();
    const res = await runOnServer(
      {
        files,
        config: s.config,
        runtime: s.runtime,
        request,
        sessionId: get().session?.sessionId,
        ...sessionExtras(),
      },
      showProgress(gen),
    );
    stopWatch();
    stopWatch = null;
    if (!isCurrent(gen)) {
      // Another scenario is open: nobody will use the session this run started.
      if (res.session) api.deleteSession(res.session.sessionId).catch(() => {});
      return;
    }
    const st = get();
    st.setBuild(res.build);
    useStore.setState({ reused: false });
    const previous = st.session;
    if (res.session) adoptSession(res.session, hash);
    else if (res.build.ok) st.setSession(null); // the server ended the replaced session
    else if (previous) adoptSession(previous, st.sessionHash ?? ''); // build failed: the old plugin still runs
    if (res.error?.logs) st.addLogs(res.error.logs);
    if (res.exchange) recordExchange(res.exchange, 'run');
    const outcome = runOutcome(res);
    show(outcome);
    if (outcome.kind === 'invalid-yaml' && outcome.line) st.revealAt(CONFIG_FILE, outcome.line, outcome.column ?? 1);
  } catch (err) {
    if (!isCurrent(gen)) return;
    const outcome = failureOutcome(err);
    if (err instanceof ApiFailure && Array.isArray(err.body?.logs)) get().addLogs(err.body.logs as never);
    show(outcome);
  } finally {
    stopWatch?.();
    // After a switch, Run was freed already and may belong to a newer run.
    if (isCurrent(gen)) useStore.setState({ running: false, progress: null, streaming: null, lastRunMs: Math.round(performance.now() - started) });
  }
}

/** gofmt the open Go file through the server. */
export async function formatActive(): Promise<void> {
  const s = get();
  const file = s.files.find((f) => f.name === s.activeFile);
  if (!file) {
    s.notify('Format works on Go files; open main.go or another .go tab.');
    return;
  }
  try {
    const res = await api.format(file.content);
    // Typing goes on while gofmt runs: never overwrite text it has not seen.
    if (get().files.find((f) => f.name === file.name)?.content !== file.content) {
      get().notify(`${file.name} changed while it was being formatted; press Format again.`);
      return;
    }
    if (typeof res.source === 'string') {
      s.setFileContent(file.name, res.source);
      s.notify(null);
    } else {
      s.notify(`gofmt could not parse ${file.name}${res.line ? ` at line ${res.line}` : ''}: ${res.error ?? 'unknown error'}`);
      if (res.line) s.revealAt(file.name, res.line, res.column ?? 1);
    }
  } catch (err) {
    s.notify(failureOutcome(err).title + (err instanceof Error ? `: ${err.message}` : ''));
  }
}

/** Share: store the scenario on the server and give back the /p/{id} link. */
export async function share(): Promise<string | null> {
  const s = get();
  const sent = [s.files, s.config, s.requests, s.services, s.clock, s.gateway];
  try {
    const res = await api.share({
      files: filesRecord(s.files),
      config: s.config,
      requests: s.requests.map((r) => ({ name: r.name, ...toWire(r) })),
      ...sessionExtras(),
    });
    const path = res.url || `/p/${res.id}`;
    const link = new URL(path, window.location.origin).toString();
    // Edits made while the share was stored are not in it: the scenario is then a copy of the share.
    const st = get();
    const changed = [st.files, st.config, st.requests, st.services, st.clock, st.gateway].some((v, i) => v !== sent[i]);
    useStore.setState({ origin: { kind: 'share', id: res.id, forked: changed } });
    if (!changed) window.history.replaceState(null, '', path);
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
}

export function shareIdFromPath(pathname: string): string | null {
  const m = /^\/p\/([A-Za-z0-9_-]+)\/?$/.exec(pathname);
  return m ? m[1] : null;
}

export async function openShare(id: string): Promise<void> {
  const s = get();
  const gen = scenarioGeneration();
  try {
    const scenario = await api.loadShare(id);
    if (!isCurrent(gen)) return; // the user opened something else meanwhile
    switchScenario(() => s.loadScenario(scenario, { kind: 'share', id, forked: false }));
  } catch (err) {
    const missing = err instanceof ApiFailure && err.kind === 'not-found';
    s.notify(
      missing
        ? `The shared link /p/${id} does not exist (or has expired). You are looking at your own last scenario.`
        : `Could not open the shared link: ${failureOutcome(err).detail}`,
    );
    window.history.replaceState(null, '', '/');
  }
}

export async function openExample(name: string): Promise<boolean> {
  const s = get();
  const gen = scenarioGeneration();
  try {
    const ex = await api.example(name);
    if (!isCurrent(gen)) return false; // the user opened something else meanwhile
    switchScenario(() => s.loadScenario(ex, { kind: 'example', id: name, forked: false }));
    s.setExamplesOpen(false);
    if (window.location.pathname !== '/') window.history.replaceState(null, '', '/');
    return true;
  } catch (err) {
    s.notify(`Could not open example ${name}: ${failureOutcome(err).detail}`);
    return false;
  }
}

let retrying = false;
/** After "unreachable": mark the server down and poll until it answers again. */
export function watchForServer() {
  get().setHealth(null, 'unreachable');
  if (retrying) return;
  retrying = true;
  const retry = async () => {
    if (await refreshHealth()) retrying = false;
    else setTimeout(retry, 5000);
  };
  setTimeout(retry, 5000);
}

/** Checks the server once; used at start and to recover from "unreachable". */
export async function refreshHealth(): Promise<boolean> {
  try {
    const h = await api.health();
    const s = get();
    s.setHealth(h, null);
    if (!h.runtimes?.[s.runtime]) {
      const available = (['embedded', 'docker'] as const).find((r) => h.runtimes?.[r]);
      if (available) s.setRuntime(available);
    }
    if (s.outcome.kind === 'unreachable') s.setOutcome({ kind: 'idle', title: 'The server is back. Press Run.' });
    return true;
  } catch (err) {
    get().setHealth(null, failureOutcome(err).title);
    return false;
  }
}

/** Ends the live session when the tab goes away, so it does not wait for the idle timeout. */
export function endSessionOnUnload() {
  window.addEventListener('pagehide', () => {
    const session = get().session;
    if (session) void fetch(api.sessionUrl(session.sessionId), { method: 'DELETE', keepalive: true }).catch(() => {});
  });
}
