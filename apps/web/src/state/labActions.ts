// What the newer controls do: analyse the sources as they change, compare with
// the plugin off, run request sequences, advance the virtual clock, open a
// project from a .zip or a folder, download the bundle.
import { ApiFailure, api } from '../api/client';
import type { HttpRequestMessage } from '../api/types';
import { selectProjectFiles } from '../lib/fileNames';
import { sourcesHash } from '../lib/hash';
import { failureOutcome } from '../lib/outcome';
import { currentHash, run } from './actions';
import { filesRecord } from './filesSlice';
import { toWire } from './requestsSlice';
import { isCurrent, scenarioGeneration, switchScenario } from './scenarioSwitch';
import { useStore } from './store';

const get = () => useStore.getState();

// ---- analysis -------------------------------------------------------------

let analyzeTimer: ReturnType<typeof setTimeout> | null = null;
let analyzeAbort: AbortController | null = null;

/** Analyses the sources now (config keys, schema, lints); stale answers are dropped. */
export async function analyzeNow(): Promise<void> {
  const s = get();
  const files = filesRecord(s.files);
  const hash = sourcesHash(files, '', '');
  if (s.analysisHash === hash) return;
  analyzeAbort?.abort();
  const ctl = new AbortController();
  analyzeAbort = ctl;
  try {
    const analysis = await api.analyze(files, ctl.signal);
    if (sourcesHash(filesRecord(get().files), '', '') === hash) get().setAnalysis(analysis, hash);
  } catch (err) {
    // 400 (e.g. a path the server refuses) or an older server without /api/analyze: no hints, no noise.
    if ((err as Error).name !== 'AbortError' && !(err instanceof ApiFailure)) throw err;
  }
}

/** Debounced analysis: call on every source change. */
export function scheduleAnalyze(delayMs = 500) {
  if (analyzeTimer) clearTimeout(analyzeTimer);
  analyzeTimer = setTimeout(() => {
    analyzeTimer = null;
    void analyzeNow().catch(() => {});
  }, delayMs);
}

/** Re-analyses whenever the files change. Returns the unsubscribe function. */
export function watchSourcesForAnalysis(): () => void {
  scheduleAnalyze(50);
  return useStore.subscribe((s, prev) => {
    if (s.files !== prev.files) scheduleAnalyze();
  });
}

// ---- sessions -------------------------------------------------------------

/** The live session for the current sources, starting one (with a Run) when needed. */
export async function ensureSession(): Promise<string | null> {
  const s = get();
  if (s.session && s.sessionHash === currentHash()) return s.session.sessionId;
  await run();
  const after = get();
  return after.session && after.sessionHash === currentHash() ? after.session.sessionId : null;
}

function activeRequest(): HttpRequestMessage {
  const s = get();
  const req = s.requests.find((r) => r.id === s.activeRequestId) ?? s.requests[0];
  return toWire(req);
}

/** Reports a failed lab request; `sessionId` is the session it was sent to. */
function failed(what: string, err: unknown, sessionId?: string) {
  if (err instanceof ApiFailure && err.status === 404 && /no route|not found/i.test(err.message) && !/session/i.test(err.message)) {
    get().notify(`${what}: this server does not offer it yet (${err.message}).`);
  } else if (err instanceof ApiFailure && (err.status === 404 || err.status === 410) && /session/i.test(err.message)) {
    // A Run may have replaced that session meanwhile: only forget the one that ended.
    if (get().session?.sessionId === sessionId) get().setSession(null);
    get().notify(`${what}: the plugin session ended. Try again: a new one is started.`);
  } else {
    get().notify(`${what} failed: ${err instanceof Error ? err.message : failureOutcome(err).title}`);
  }
}

/** Sends the selected request through the plugin and around it; the Diff pane shows the difference. */
export async function comparePluginOff(): Promise<void> {
  const s = get();
  if (s.busy || s.running) return;
  const gen = scenarioGeneration();
  const sessionId = await ensureSession();
  if (!sessionId || !isCurrent(gen)) return;
  const request = activeRequest();
  get().setBusy('effect');
  try {
    const result = await api.pluginEffect(sessionId, request);
    if (!isCurrent(gen)) return;
    get().setEffect({ result, request: { method: request.method, path: request.path }, at: Date.now() });
    get().addLogs(result.withPlugin.logs ?? []);
    get().setActivePane('diff');
  } catch (err) {
    if (isCurrent(gen)) failed('Compare with plugin off', err, sessionId);
  } finally {
    if (isCurrent(gen)) get().setBusy(null);
  }
}

/** Runs the saved requests (or the selected one) `repeat` times through the same VM. */
export async function runSequence(opts: { which: 'selected' | 'all'; repeat: number; advanceMs: number }): Promise<void> {
  const s = get();
  if (s.busy || s.running) return;
  const gen = scenarioGeneration();
  const sessionId = await ensureSession();
  if (!sessionId || !isCurrent(gen)) return;
  const st = get();
  const requests = opts.which === 'all' ? st.requests.map(toWire) : [activeRequest()];
  const repeat = Math.max(1, Math.min(200, Math.round(opts.repeat) || 1));
  const advanceMs = Math.max(0, Math.round(opts.advanceMs) || 0);
  st.setBusy('sequence');
  try {
    const result = await api.sequence(sessionId, { requests, repeat, ...(advanceMs ? { advanceMs } : {}) });
    if (!isCurrent(gen)) return;
    get().setSequence({ result, repeat, advanceMs, at: Date.now() });
    for (const ex of result.exchanges ?? []) get().addLogs(ex.logs ?? []);
    const last = result.exchanges?.[result.exchanges.length - 1];
    if (last) get().pushExchange(last, 'run');
    get().setActivePane('sequence');
  } catch (err) {
    if (isCurrent(gen)) failed('The sequence', err, sessionId);
  } finally {
    if (isCurrent(gen)) get().setBusy(null);
  }
}

/** Moves a virtual-clock session's time forward; proxy_on_tick fires on schedule. */
export async function advanceClock(ms: number): Promise<void> {
  const s = get();
  if (s.busy || s.running) return;
  if (s.clock !== 'virtual') {
    s.notify('Advance clock works in a virtual-clock session: pick Clock: virtual, then Run.');
    return;
  }
  const gen = scenarioGeneration();
  const sessionId = await ensureSession();
  if (!sessionId || !isCurrent(gen)) return;
  get().setBusy('advance');
  try {
    const res = await api.advance(sessionId, Math.max(1, Math.round(ms)));
    if (!isCurrent(gen)) return;
    get().pushClock(res, Math.round(ms));
    get().addLogs(res.logs ?? []);
  } catch (err) {
    if (isCurrent(gen)) failed('Advance clock', err, sessionId);
  } finally {
    if (isCurrent(gen)) get().setBusy(null);
  }
}

// ---- projects -------------------------------------------------------------

/** Adds go.mod and go.sum as the last build used them (the template's, when the project had none). */
export async function addModuleFilesFromBuild(): Promise<void> {
  const s = get();
  if (!s.buildId) {
    s.notify('Run once first: the go.mod and go.sum of that build are then added to the project.');
    return;
  }
  try {
    const info = await api.buildInfo(s.buildId);
    if (!info.goMod) {
      s.notify('This server does not say which go.mod the build used.');
      return;
    }
    const st = get();
    if (st.files.some((f) => f.name === 'go.mod')) st.setFileContent('go.mod', info.goMod);
    else st.addFile('go.mod', info.goMod);
    if (info.goSum) {
      if (get().files.some((f) => f.name === 'go.sum')) get().setFileContent('go.sum', info.goSum);
      else get().addFile('go.sum', info.goSum);
    }
    get().notify('Added go.mod and go.sum as the last build used them. Change the module path freely; imports of your sub-packages use it.');
  } catch (err) {
    failed('Adding go.mod', err);
  }
}

function loadProject(files: Record<string, string>, config: string | undefined, label: string, skipped: string[]) {
  const s = get();
  if (!('main.go' in files)) {
    s.notify(`${label} has no main.go at its root, so it is not a plugin project. Nothing was opened.`);
    return false;
  }
  // A project archive or folder brings sources (and maybe config); the requests and mock services stay.
  const requests = s.requests.map((r) => ({ ...toWire(r), name: r.name }));
  switchScenario(() =>
    s.loadScenario({ files, config: config ?? s.config, requests, services: s.services, clock: s.clock, gateway: s.gateway }, { kind: 'local', forked: false }),
  );
  const n = Object.keys(files).length;
  s.notify(
    `Opened ${label}: ${n} file${n === 1 ? '' : 's'}${config !== undefined ? ' and config.yaml' : ''}.` +
      (skipped.length ? ` Skipped (not used by the build): ${skipped.slice(0, 12).join(', ')}${skipped.length > 12 ? `, … ${skipped.length - 12} more` : ''}.` : ''),
  );
  if (window.location.pathname !== '/') window.history.replaceState(null, '', '/');
  return true;
}

/**
 * Reads a project with the busy indicator on; a failure (server, unreadable
 * file, vanished folder) is reported instead of thrown. `read` gets the
 * scenario generation so it can give up when the user opened something else.
 */
async function importing(what: string, read: (gen: number) => Promise<boolean>): Promise<boolean> {
  const gen = scenarioGeneration();
  get().setBusy('import');
  try {
    return await read(gen);
  } catch (err) {
    if (isCurrent(gen)) get().notify(`Could not open ${what}: ${err instanceof Error ? err.message : 'unknown error'}`);
    return false;
  } finally {
    if (isCurrent(gen)) get().setBusy(null);
  }
}

/** Opens a project from a .zip (checked by the server). */
export function openZip(zip: Blob, name = 'the archive'): Promise<boolean> {
  return importing(name, async (gen) => {
    const res = await api.importZip(zip);
    return isCurrent(gen) && loadProject(res.files, res.config, name, res.skipped ?? []);
  });
}

async function readFileList(entries: { path: string; file: File }[], label: string, gen: number): Promise<boolean> {
  const { keep, config, skipped } = selectProjectFiles(entries.map((e) => ({ path: e.path, size: e.file.size })));
  const byPath = new Map(entries.map((e) => [e.path, e.file]));
  const files: Record<string, string> = {};
  for (const k of keep) files[k.path] = await byPath.get(k.from)!.text();
  const configText = config ? await byPath.get(config)!.text() : undefined;
  return isCurrent(gen) && loadProject(files, configText, label, skipped);
}

/** Opens a project from picked files (a folder): keeps what the build uses. */
export function openFileList(entries: { path: string; file: File }[], label: string): Promise<boolean> {
  return importing(label, (gen) => readFileList(entries, label, gen));
}

/** Reads a drop: one .zip goes to the server; folders and files are read here. */
export async function openDrop(dt: DataTransfer): Promise<void> {
  // The DataTransfer is only readable during the drop event: take everything now.
  const items = [...dt.items].filter((i) => i.kind === 'file');
  const entries = items.map((i) => (typeof i.webkitGetAsEntry === 'function' ? i.webkitGetAsEntry() : null));
  const plainFiles = [...dt.files];
  if (plainFiles.length === 1 && /\.zip$/i.test(plainFiles[0].name) && !entries[0]?.isDirectory) {
    await openZip(plainFiles[0], plainFiles[0].name);
    return;
  }
  const dirs = entries.filter((e): e is FileSystemEntry => !!e);
  const label = entries.some((e) => e?.isDirectory) && dirs.length === 1 ? `folder ${dirs[0].name}` : 'the dropped files';
  await importing(label, async (gen) => {
    const out: { path: string; file: File }[] = [];
    if (entries.some((e) => e?.isDirectory)) {
      for (const e of dirs) await walk(e, '', out);
    } else {
      for (const f of plainFiles) out.push({ path: f.webkitRelativePath || f.name, file: f });
    }
    if (!out.length) {
      get().notify('Drop a project folder or a .zip of it (with main.go at its root).');
      return false;
    }
    return readFileList(out, label, gen);
  });
}

async function walk(entry: FileSystemEntry, prefix: string, out: { path: string; file: File }[], depth = 0): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path, file });
    return;
  }
  if (depth > 10 || /^(\.git|node_modules|vendor)$/.test(entry.name) || out.length > 2000) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    for (const child of batch) await walk(child, path, out, depth + 1);
  }
}

function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** POST /api/export: the project, config and requests as a runnable bundle. */
export async function downloadBundle(): Promise<void> {
  const s = get();
  if (s.busy) return;
  s.setBusy('export');
  try {
    const blob = await api.exportZip({
      files: filesRecord(s.files),
      config: s.config,
      requests: s.requests.map((r) => ({ name: r.name, ...toWire(r) })),
    });
    const base = s.origin.kind === 'example' && s.origin.id ? s.origin.id : 'plugin';
    saveBlob(blob, `${base}.zip`);
  } catch (err) {
    get().notify(`Download failed: ${err instanceof Error ? err.message : 'unknown error'}`);
  } finally {
    get().setBusy(null);
  }
}

