// Go intelligence: a small client for the server's gopls routes (/api/lsp, the
// contract in packages/shared/src/lsp.ts). Not a language-server protocol
// client: the server speaks LSP to gopls and offers a handful of JSON routes,
// and the editor needs only those (completion, hover, signature help,
// definition, diagnostics). This module is framework-free (no Monaco, no React)
// and only the editor's chunk imports it (through lsp/connect.ts).
//
// - One workspace per scenario, opened at the first need (an edit, or a
//   completion/hover/... in a Go file), never when /api/health says
//   intelligence is unavailable. `reset()` (another scenario) closes it: the
//   next need opens one on the new files. `close()` (the tab going away)
//   deletes it.
// - Edits are sent 300 ms after the last one (each changed file with a
//   per-file version, so the server drops an edit older than one it has); the
//   answer is the project's diagnostics, handed to `onDiagnostics`.
// - A request carries the file's text when it changed since the server last
//   got it, so a completion right after typing `proxywasm.` sees the dot.
// - Every call has a timeout; failures are swallowed (an empty answer). An
//   `LspOff` answer turns intelligence off with the server's reason: for good
//   on this scenario after a crash or a cap, until the next need after idle
//   time or an eviction.
import { isLspOff } from '@playground/shared';
import { ApiFailure, api, type LspAnswers, type LspOp } from '../api/client';
import type { Diagnostic, LspDiagnostics, LspOff, LspPositionRequest } from '../api/types';
import type { IntelligenceView } from '../state/intelligence';

export const LSP_DEBOUNCE_MS = 300;

export interface LspTimeouts {
  /** POST /api/lsp (it answers once gopls is spawned, before the project is loaded). */
  open: number;
  /** An edit: the server waits up to ~1.5 s for its diagnostics. */
  change: number;
  /** Completion, hover, ... once gopls has answered once. */
  request: number;
  /** The same before that: the first requests wait for gopls to load the project. */
  starting: number;
}

export const LSP_TIMEOUTS: LspTimeouts = { open: 15_000, change: 10_000, request: 8_000, starting: 30_000 };

export interface LspClientOptions {
  /** The project's files now. */
  files: () => Record<string, string>;
  /** Whether the server offers intelligence (/api/health); while false no workspace is opened. */
  enabled: () => boolean;
  onStatus: (view: IntelligenceView) => void;
  /** Every project file's diagnostics, or null to drop them (intelligence off, another scenario). */
  onDiagnostics: (diagnostics: Diagnostic[] | null) => void;
  debounceMs?: number;
  timeouts?: Partial<LspTimeouts>;
  /** The least time between two opens of a workspace (after one stopped, or could not be opened). */
  reopenAfterMs?: number;
  /** After an edit answered before gopls had the file's diagnostics: when to ask for them again. */
  followUpMs?: number[];
}

type Answer<K extends LspOp> = Exclude<LspAnswers[K], LspOff>;

interface Workspace {
  id: string;
  gopls: string;
  /** gopls has answered once (the project is loaded). */
  answered: boolean;
}

const isAbort = (err: unknown) => (err as Error)?.name === 'AbortError';

export class LspClient {
  private readonly debounceMs: number;
  private readonly timeouts: LspTimeouts;
  private readonly reopenAfterMs: number;
  private readonly followUpMs: number[];

  private ws: Workspace | null = null;
  private opening: Promise<Workspace | null> | null = null;
  /** Off for good on this scenario (a crash, a cap). */
  private offForGood = false;
  /** The server said intelligence is unavailable: off for good on every scenario. */
  private unavailable: IntelligenceView | null = null;
  private lastOpenAt = -Infinity;
  /** Bumped by `reset()`: answers for an older generation are dropped. */
  private generation = 0;
  private scope = new AbortController();
  private view: IntelligenceView = { state: 'idle' };

  /** The files as last seen, to tell which ones an edit changed. */
  private seen: Record<string, string> | null = null;
  /** Files edited since their last change was sent. */
  private readonly dirty = new Set<string>();
  private versions = new Map<string, number>();
  /** The text the server has of each file, as far as we know (absent: not sure). */
  private synced = new Map<string, string | null>();
  /** Calls carrying a file's text in flight; two at once may reach the server in either order. */
  private carrying = new Map<string, { count: number; crossed: boolean }>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private followUps: ReturnType<typeof setTimeout>[] = [];
  /** Diagnostics answers are applied in the order their calls were made. */
  private diagnosticsAsked = 0;
  private diagnosticsShown = 0;

  constructor(private readonly opts: LspClientOptions) {
    this.debounceMs = opts.debounceMs ?? LSP_DEBOUNCE_MS;
    this.timeouts = { ...LSP_TIMEOUTS, ...opts.timeouts };
    this.reopenAfterMs = opts.reopenAfterMs ?? 10_000;
    this.followUpMs = opts.followUpMs ?? [1000, 3000];
  }

  /** The workspace's id, if one is open (tests and debugging). */
  get workspaceId(): string | null {
    return this.ws?.id ?? null;
  }

  /** Takes the files as they are now as the starting point (a scenario was just loaded): not an edit. */
  rebase(): void {
    this.seen = this.opts.files();
  }

  /** The files changed (an edit, a file added, moved or deleted): sends the changed ones after a pause. */
  filesChanged(): void {
    const now = this.opts.files();
    const before = this.seen;
    this.seen = now;
    if (!before || this.offForGood || this.unavailable || !this.opts.enabled()) return;
    for (const p of new Set([...Object.keys(before), ...Object.keys(now)]))
      if (before[p] !== now[p]) this.dirty.add(p);
    if (this.dirty.size) this.schedule();
  }

  /**
   * A completion, hover, signature or definition at a 1-based position of `path`, whose text is
   * `text` now; null when intelligence is off, the call failed or timed out, or `signal` aborted.
   */
  async request<K extends LspOp>(
    op: K,
    at: Omit<LspPositionRequest, 'text'>,
    text?: string,
    signal?: AbortSignal,
  ): Promise<Answer<K> | null> {
    const ws = await this.ensureOpen();
    if (!ws || signal?.aborted) return null;
    const withText = text !== undefined && (this.synced.get(at.path) !== text || this.carrying.has(at.path));
    const done = withText ? this.carry(at.path) : null;
    const body: LspPositionRequest = withText ? { ...at, text } : { ...at };
    const answer = await this.call(
      ws,
      (s) => api.lspAsk(ws.id, op, body, s),
      ws.answered ? this.timeouts.request : this.timeouts.starting,
      signal,
    );
    done?.(text!, answer !== null);
    return answer as Answer<K> | null;
  }

  /** Another scenario is on screen: closes the workspace (the next need opens one on the new files). */
  reset(): void {
    this.generation++;
    this.scope.abort();
    this.scope = new AbortController();
    this.cancelTimers();
    const ws = this.ws;
    this.ws = null;
    this.opening = null;
    if (ws) void api.lspClose(ws.id).catch(() => {});
    this.offForGood = false;
    this.lastOpenAt = -Infinity;
    this.dirty.clear();
    this.versions = new Map();
    this.synced = new Map();
    this.carrying = new Map();
    this.seen = this.opts.files();
    this.opts.onDiagnostics(null);
    this.status(this.unavailable ?? { state: 'idle' });
  }

  /** The page is going away: deletes the workspace (the request outlives the page). */
  close(): void {
    const ws = this.ws;
    this.ws = null;
    this.cancelTimers();
    if (ws) void api.lspClose(ws.id).catch(() => {});
  }

  // --- workspace

  private status(view: IntelligenceView): void {
    const v = this.view;
    if (v.state === view.state && v.note === view.note && v.retry === view.retry && v.gopls === view.gopls)
      return;
    this.view = view;
    this.opts.onStatus(view);
  }

  /** The open workspace, opening one when allowed; null when intelligence is off or unavailable. */
  private ensureOpen(): Promise<Workspace | null> {
    if (this.ws) return Promise.resolve(this.ws);
    if (this.opening) return this.opening;
    if (this.offForGood || this.unavailable || !this.opts.enabled()) return Promise.resolve(null);
    const now = Date.now();
    if (now - this.lastOpenAt < this.reopenAfterMs) return Promise.resolve(null);
    this.lastOpenAt = now;
    const generation = this.generation;
    const gopls = this.view.gopls;
    this.status({ state: 'starting', ...(gopls ? { gopls } : {}) });
    const opening = (async (): Promise<Workspace | null> => {
      const files = this.opts.files();
      try {
        // Not cancelled by another scenario: the server would open it anyway; it is deleted below instead.
        const answer = await this.timed((s) => api.lspOpen(files, s), this.timeouts.open, undefined, false);
        if (generation !== this.generation) {
          // Opened for a scenario that is gone.
          if (answer && !isLspOff(answer) && answer.workspaceId)
            void api.lspClose(answer.workspaceId).catch(() => {});
          return null;
        }
        if (isLspOff(answer)) {
          this.turnOff(answer);
          return null;
        }
        if (!answer?.workspaceId) throw new Error('POST /api/lsp answered without a workspace');
        this.ws = { id: answer.workspaceId, gopls: answer.goplsVersion, answered: false };
        this.synced = new Map(Object.entries(files));
        this.versions = new Map();
        this.status({ state: 'starting', gopls: answer.goplsVersion });
        return this.ws;
      } catch (err) {
        if (generation !== this.generation) return null;
        if (err instanceof ApiFailure && err.status >= 400 && err.status < 500) {
          // The project as it is now is refused (too many files, a path the build refuses, ...): a later edit may fix it.
          this.status({ state: 'off', note: err.message, retry: true });
        } else {
          if (!isAbort(err)) console.warn('Go intelligence: could not open a workspace:', err);
          this.status({ state: 'idle', ...(gopls ? { gopls } : {}) });
        }
        return null;
      } finally {
        if (generation === this.generation) this.opening = null;
      }
    })();
    this.opening = opening;
    return opening;
  }

  /** The server turned intelligence off for the workspace: say why, drop its diagnostics. */
  private turnOff(off: LspOff): void {
    const ws = this.ws;
    this.ws = null;
    this.cancelTimers();
    this.dirty.clear();
    // The server remembers an off workspace for a while to answer why; we know why.
    if (ws) void api.lspClose(ws.id).catch(() => {});
    const retry = off.retry && off.cause !== 'unavailable';
    if (!retry) this.offForGood = true;
    this.opts.onDiagnostics(null);
    const view: IntelligenceView = { state: 'off', note: off.off, retry, ...(ws ? { gopls: ws.gopls } : {}) };
    if (off.cause === 'unavailable') this.unavailable = view;
    this.status(view);
  }

  /** The workspace is gone on the server (404: forgotten, the server restarted; 403: not ours): open another at the next need. */
  private forget(ws: Workspace): void {
    if (this.ws !== ws) return;
    this.ws = null;
    this.lastOpenAt = -Infinity;
    this.status({ state: 'idle', gopls: ws.gopls });
  }

  /** `work` with a timeout and (unless `scoped` is false) the scenario's abort; rejects as `work` does. */
  private async timed<T>(
    work: (signal: AbortSignal) => Promise<T>,
    timeoutMs: number,
    outer?: AbortSignal,
    scoped = true,
  ): Promise<T> {
    const ctl = new AbortController();
    const abort = () => ctl.abort();
    const scope = this.scope.signal;
    if (scoped) scope.addEventListener('abort', abort);
    outer?.addEventListener('abort', abort);
    const timer = setTimeout(abort, timeoutMs);
    try {
      return await work(ctl.signal);
    } finally {
      clearTimeout(timer);
      scope.removeEventListener('abort', abort);
      outer?.removeEventListener('abort', abort);
    }
  }

  /** A call on the workspace: its answer, or null (off, failed, timed out, for a scenario that is gone). Never throws. */
  private async call<T>(
    ws: Workspace,
    work: (signal: AbortSignal) => Promise<T | LspOff>,
    timeoutMs: number,
    outer?: AbortSignal,
  ): Promise<T | null> {
    const generation = this.generation;
    try {
      const answer = await this.timed(work, timeoutMs, outer);
      if (generation !== this.generation || this.ws !== ws) return null;
      if (isLspOff(answer)) {
        this.turnOff(answer);
        return null;
      }
      if (answer === null || typeof answer !== 'object') return null;
      if (!ws.answered) {
        ws.answered = true;
        this.status({ state: 'on', gopls: ws.gopls });
      }
      return answer;
    } catch (err) {
      if (generation !== this.generation) return null;
      if (err instanceof ApiFailure && (err.status === 404 || err.status === 403)) this.forget(ws);
      else if (!isAbort(err)) console.warn('Go intelligence: a request failed:', err);
      return null;
    }
  }

  /**
   * Marks a call carrying `path`'s text as in flight; the function returned marks it done. Two such
   * calls at once may be applied by the server in either order: the file is then sent again.
   */
  private carry(path: string): (text: string | null, ok: boolean) => void {
    const generation = this.generation;
    const c = this.carrying.get(path) ?? { count: 0, crossed: false };
    if (c.count > 0) c.crossed = true;
    c.count++;
    this.carrying.set(path, c);
    return (text, ok) => {
      if (generation !== this.generation) return;
      c.count--;
      if (ok && !c.crossed) this.synced.set(path, text);
      else this.synced.delete(path);
      if (c.count > 0) return;
      this.carrying.delete(path);
      if (c.crossed && this.ws) {
        this.dirty.add(path);
        this.schedule();
      }
    };
  }

  // --- edits and diagnostics

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.debounceMs);
  }

  private cancelTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const t of this.followUps) clearTimeout(t);
    this.followUps = [];
  }

  /** Sends each file edited since the last flush, with its next version. */
  private async flush(): Promise<void> {
    if (!this.dirty.size) return;
    const ws = await this.ensureOpen();
    if (!ws) {
      // Off or unavailable: nothing to send. Else (a reopen too soon, an open that failed) the next edit tries again.
      if (this.offForGood || !this.opts.enabled()) this.dirty.clear();
      return;
    }
    const files = this.opts.files();
    const paths = [...this.dirty];
    this.dirty.clear();
    for (const t of this.followUps) clearTimeout(t);
    this.followUps = [];
    await Promise.all(paths.map((p) => this.sendChange(ws, p, files[p] ?? null)));
  }

  private async sendChange(ws: Workspace, path: string, text: string | null): Promise<void> {
    const version = (this.versions.get(path) ?? 0) + 1;
    this.versions.set(path, version);
    const asked = ++this.diagnosticsAsked;
    const done = this.carry(path);
    const answer = await this.call(
      ws,
      (s) => api.lspChange(ws.id, { path, text, version }, s),
      this.timeouts.change,
    );
    done(text, answer !== null);
    if (answer) this.showDiagnostics(ws, asked, answer);
  }

  private showDiagnostics(ws: Workspace, asked: number, answer: LspDiagnostics): void {
    if (asked < this.diagnosticsShown || !Array.isArray(answer.diagnostics)) return;
    this.diagnosticsShown = asked;
    this.opts.onDiagnostics(answer.diagnostics);
    // The server answered before gopls had the changed file's diagnostics: ask again a little later.
    if (answer.settled === false && !this.followUps.length) {
      this.followUps = this.followUpMs.map((ms) =>
        setTimeout(() => {
          if (this.ws !== ws) return;
          const again = ++this.diagnosticsAsked;
          void this.call(ws, (s) => api.lspDiagnostics(ws.id, s), this.timeouts.change).then(
            (d) => d && this.showDiagnostics(ws, again, d),
          );
        }, ms),
      );
    }
  }
}
