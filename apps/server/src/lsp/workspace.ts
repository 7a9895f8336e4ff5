// One project's gopls: a private folder holding the project's files (and the go.mod/go.sum a build
// would use), gopls started in the build sandbox on it, and the few LSP requests the editor needs.
// Anything going wrong (gopls exiting, a cap reached, a start that takes too long) turns the
// workspace off with a reason; every later call answers that reason instead of failing.
import type { ChildProcess } from 'node:child_process';
import { mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  checkFiles,
  type Diagnostic,
  type FileLimits,
  type FileMap,
  type LspCompletion,
  type LspDefinition,
  type LspDiagnostics,
  type LspHover,
  type LspOff,
  type LspOffCause,
  type LspPositionRequest,
  type LspSignature,
  type LspStatus,
} from '@playground/shared';
import type { SandboxCommand } from '../compile/sandbox.js';
import { BadSourcesError } from '../compile/validate.js';
import { spawnChild } from '../util/children.js';
import { log } from '../util/log.js';
import {
  placeOf,
  rootUri,
  toCompletion,
  toDiagnostics,
  toHover,
  toLocations,
  toPosition,
  toSignature,
  uriOf,
  type PathMap,
  type RawDiagnostic,
} from './convert.js';
import { LspConnection, RpcClosedError } from './jsonrpc.js';
import type { ProcessTable } from '../util/process-table.js';

export interface WorkspaceCaps {
  /** Resident memory of gopls's whole process tree. */
  memoryBytes: number;
  idleMs: number;
  /** From spawning gopls to the project loaded. */
  startTimeoutMs: number;
  /** One completion, hover, ...; past it the request is cancelled and answers empty. */
  requestTimeoutMs: number;
  /** How long a change waits for gopls's diagnostics of the changed file. */
  diagnosticsWaitMs: number;
}

export interface WorkspaceOptions {
  id: string;
  client: string;
  /** The private folder (host path), created by the workspace. */
  dir: string;
  /** How gopls is started on that folder (in the sandbox). */
  command: SandboxCommand;
  paths: PathMap;
  caps: WorkspaceCaps;
  fileLimits: FileLimits;
  /** The template module's files, for projects without a go.mod. */
  template: { goMod: string; goSum: string };
  /** The build's dependency step, for a project with its own go.mod: the go.mod/go.sum to use, or null. */
  resolve(files: FileMap): Promise<{ goMod: string; goSum: string } | null>;
  /** What the dependency step depends on (go.mod, go.sum, imports): a change runs it again. */
  resolveKey(files: FileMap): string;
  /** Called once, when the workspace turns off. */
  onOff(ws: GoplsWorkspace): void;
}

/** gopls settings: what the editor uses, nothing that runs tools or reaches the network. */
export const GOPLS_SETTINGS = {
  pullDiagnostics: true,
  usePlaceholders: true,
  linksInHover: true,
  staticcheck: false,
  vulncheck: 'Off',
  semanticTokens: false,
  codelenses: {},
  hints: {},
  analysisProgressReporting: false,
};

const CLIENT_CAPABILITIES = {
  window: { workDoneProgress: true },
  workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: false } },
  textDocument: {
    synchronization: { didSave: false, dynamicRegistration: false },
    completion: {
      completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], deprecatedSupport: true, tagSupport: { valueSet: [1] } },
      contextSupport: true,
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    signatureHelp: {
      signatureInformation: {
        documentationFormat: ['markdown', 'plaintext'],
        parameterInformation: { labelOffsetSupport: true },
        activeParameterSupport: true,
      },
      contextSupport: true,
    },
    definition: { linkSupport: false },
    publishDiagnostics: { versionSupport: true },
    diagnostic: { dynamicRegistration: false },
  },
};

/** How long the pulled diagnostics (type errors and analyzers) may lag behind the published type errors. */
const PULL_GRACE_MS = 300;

/** The largest LSP message accepted from gopls. */
const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

const isGo = (p: string) => p.endsWith('.go');
const MODULE_FILES = new Set(['go.mod', 'go.sum']);
const mib = (b: number) => Math.round(b / 2 ** 20);

/** File change types of workspace/didChangeWatchedFiles. */
const CREATED = 1;
const CHANGED = 2;
const DELETED = 3;

export class GoplsWorkspace {
  readonly id: string;
  readonly client: string;
  state: 'starting' | 'ready' | 'off' = 'starting';
  off: LspOff | undefined;
  lastUsed = Date.now();
  memoryBytes: number | undefined;
  startMs: number | undefined;

  private child: ChildProcess | undefined;
  private conn: LspConnection | undefined;
  /** The project as the user has it (their own go.mod/go.sum included). */
  private files = new Map<string, string>();
  /** Open Go documents: the version sent to gopls, and the client's version of the last edit applied. */
  private docs = new Map<string, { version: number; clientVersion?: number }>();
  /** The latest diagnostics of each project file, with the document version they are for (0: on disk). */
  private diags = new Map<string, { version: number; items: Diagnostic[] }>();
  private pushWaiters: { path: string; version: number; resolve(): void }[] = [];
  /** Resolves when gopls has loaded the project, or the workspace turned off. */
  private settled: Promise<void>;
  private settle!: () => void;
  private started = performance.now();
  private loadToken: string | number | undefined;
  private stderrTail = '';
  private idleTimer: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  /** Edits are applied one at a time, in the order they came. */
  private edits: Promise<unknown> = Promise.resolve();
  /** The module files on disk (what gopls loads), and the dependency step's input they came from. */
  private module: { goMod: string; goSum: string } | undefined;
  private moduleKeyOnDisk: string | undefined;
  private resolving: Promise<void> | undefined;
  private resolveAgain = false;

  constructor(private readonly opts: WorkspaceOptions) {
    this.id = opts.id;
    this.client = opts.client;
    this.settled = new Promise((r) => (this.settle = r));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.state !== 'off';
  }

  private get ownGoMod(): boolean {
    return this.files.has('go.mod');
  }

  /** Writes the project and starts gopls on it; does not wait for the project to load. */
  async start(files: FileMap): Promise<void> {
    for (const [p, text] of Object.entries(files)) this.files.set(p, text);
    try {
      await mkdir(this.opts.dir, { recursive: true });
      for (const [p, text] of this.files) if (!MODULE_FILES.has(p)) await this.writeFile(p, text);
      await this.writeModule();
      if (this.off) return;
      this.spawn();
      await this.initialize();
    } catch (e) {
      this.turnOff('crash', `gopls did not start: ${(e as Error).message}`);
    }
  }

  private spawn(): void {
    const cmd = this.opts.command;
    this.started = performance.now();
    const child = spawnChild(cmd.file, cmd.args, { cwd: cmd.cwd, env: cmd.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child = child;
    child.stderr!.on('data', (b: Buffer) => {
      this.stderrTail = (this.stderrTail + b.toString('utf8')).slice(-2000);
    });
    child.on('error', (e) => this.turnOff('crash', `gopls could not be started: ${e.message}`));
    child.on('exit', (code, signal) => {
      if (this.off) return;
      const last = this.stderrTail.trim().split('\n').pop()?.slice(0, 300);
      this.turnOff('crash', `gopls stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})${last ? `: ${last}` : ''}`);
    });
    this.conn = new LspConnection(child.stdout!, child.stdin!, {
      maxMessageBytes: MAX_MESSAGE_BYTES,
      onRequest: (method, params) => this.onServerRequest(method, params),
      onNotification: (method, params) => this.onNotification(method, params),
      onClose: (reason) => this.turnOff('crash', `gopls stopped answering: ${reason}`),
    });
    this.startTimer = setTimeout(() => {
      if (this.state === 'starting') {
        this.turnOff('start-timeout', `gopls did not load the project within ${Math.round(this.opts.caps.startTimeoutMs / 1000)} s: Go intelligence is off for this project`);
      }
    }, this.opts.caps.startTimeoutMs);
    this.startTimer.unref();
    this.touch();
  }

  private async initialize(): Promise<void> {
    const conn = this.conn!;
    const root = rootUri(this.opts.paths);
    await conn.request(
      'initialize',
      {
        processId: null,
        clientInfo: { name: 'higress-wasm-playground' },
        rootUri: root,
        workspaceFolders: [{ uri: root, name: 'project' }],
        initializationOptions: GOPLS_SETTINGS,
        capabilities: CLIENT_CAPABILITIES,
      },
      { timeoutMs: this.opts.caps.startTimeoutMs },
    );
    conn.notify('initialized', {});
    for (const [p, text] of this.files) if (isGo(p)) this.openDoc(p, text);
  }

  private onServerRequest(method: string, params: unknown): unknown {
    switch (method) {
      case 'workspace/configuration':
        return ((params as { items?: unknown[] })?.items ?? []).map(() => GOPLS_SETTINGS);
      case 'window/workDoneProgress/create':
      case 'client/registerCapability':
      case 'client/unregisterCapability':
      case 'window/showMessageRequest':
        return null;
      case 'workspace/workspaceFolders':
        return [{ uri: rootUri(this.opts.paths), name: 'project' }];
      default:
        return undefined;
    }
  }

  private onNotification(method: string, params: unknown): void {
    if (method === '$/progress') {
      const { token, value } = params as { token: string | number; value?: { kind?: string; title?: string } };
      if (value?.kind === 'begin' && this.loadToken === undefined && /setting up workspace|loading/i.test(value.title ?? '')) this.loadToken = token;
      if (value?.kind === 'end' && token === this.loadToken) this.markReady();
      return;
    }
    if (method === 'textDocument/publishDiagnostics') {
      const p = params as { uri: string; version?: number; diagnostics: RawDiagnostic[] };
      const place = placeOf(this.opts.paths, p.uri);
      if (place?.kind === 'project') this.storeDiagnostics(place.path, p.version ?? 0, p.diagnostics);
      this.markReady();
    }
  }

  private markReady(): void {
    if (this.state !== 'starting') return;
    this.state = 'ready';
    this.startMs = Math.round(performance.now() - this.started);
    clearTimeout(this.startTimer);
    log.info('lsp.ready', { workspaceId: this.id, startMs: this.startMs });
    this.settle();
  }

  private storeDiagnostics(file: string, version: number, raw: RawDiagnostic[]): void {
    const known = this.diags.get(file);
    if (known && version !== 0 && known.version > version) return; // older than what we have
    this.diags.set(file, { version, items: toDiagnostics(file, raw) });
    this.pushWaiters = this.pushWaiters.filter((w) => {
      if (w.path !== file || version < w.version) return true;
      w.resolve();
      return false;
    });
  }

  /** Stops gopls and forgets the project; every later call answers `off`. */
  turnOff(cause: LspOffCause, reason: string): void {
    if (this.off) return;
    const retry = cause === 'idle' || cause === 'evicted' || cause === 'shutdown';
    this.off = { off: reason, cause, retry };
    this.state = 'off';
    clearTimeout(this.startTimer);
    clearTimeout(this.idleTimer);
    log.info('lsp.off', { workspaceId: this.id, cause, reason });
    const child = this.child;
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
    this.conn?.close(reason);
    for (const w of this.pushWaiters) w.resolve();
    this.pushWaiters = [];
    this.files.clear();
    this.docs.clear();
    this.diags.clear();
    this.settle();
    void rm(this.opts.dir, { recursive: true, force: true }).catch(() => {});
    this.opts.onOff(this);
  }

  /** Resolves once gopls has exited (at once when it never ran). */
  exited(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((r) => child.once('exit', () => r()));
  }

  /** The pool's periodic check: memory of the whole process tree against the cap. */
  checkMemory(table: ProcessTable): void {
    if (this.off || !this.child?.pid) return;
    this.memoryBytes = table.treeRss(this.child.pid);
    if (this.memoryBytes > this.opts.caps.memoryBytes) {
      this.turnOff(
        'memory',
        `gopls used ${mib(this.memoryBytes)} MiB, over its ${mib(this.opts.caps.memoryBytes)} MiB cap: Go intelligence is off for this project`,
      );
    }
  }

  status(): LspStatus {
    return {
      workspaceId: this.id,
      state: this.state,
      ...(this.off ? { off: this.off } : {}),
      ...(this.memoryBytes !== undefined ? { memoryBytes: this.memoryBytes } : {}),
      ...(this.startMs !== undefined ? { startMs: this.startMs } : {}),
    };
  }

  private touch(): void {
    this.lastUsed = Date.now();
    clearTimeout(this.idleTimer);
    if (this.off) return;
    this.idleTimer = setTimeout(() => this.idleCheck(), this.opts.caps.idleMs);
    this.idleTimer.unref();
  }

  private idleCheck(): void {
    if (this.inFlight > 0) return this.touch();
    const minutes = this.opts.caps.idleMs / 60_000;
    const idle = minutes >= 1 ? `${Math.round(minutes)} min` : `${Math.round(this.opts.caps.idleMs / 1000)} s`;
    this.turnOff('idle', `Go intelligence stopped after ${idle} without use`);
  }

  /** Runs `fn` once gopls is ready, keeping the workspace from idling meanwhile; `off` when it is off. */
  private async use<T>(fn: (conn: LspConnection) => Promise<T>): Promise<T | LspOff> {
    this.touch();
    this.inFlight++;
    try {
      await this.settled;
      if (this.off) return this.off;
      return await fn(this.conn!);
    } catch (e) {
      if (this.off) return this.off;
      if (e instanceof RpcClosedError) return this.off ?? { off: e.message, cause: 'crash', retry: false };
      throw e;
    } finally {
      this.inFlight--;
      this.touch();
    }
  }

  /** A request whose failure (an error from gopls, a timeout) is an empty answer, never an error. */
  private async ask<T>(conn: LspConnection, method: string, params: unknown): Promise<T | null> {
    try {
      return await conn.request<T>(method, params, { timeoutMs: this.opts.caps.requestTimeoutMs });
    } catch (e) {
      if (e instanceof RpcClosedError) throw e;
      log.info('lsp.request-failed', { workspaceId: this.id, method, message: (e as Error).message });
      return null;
    }
  }

  // --- files

  private async writeFile(rel: string, text: string): Promise<void> {
    const target = path.join(this.opts.dir, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
  }

  /** What the module files on disk depend on: the template, or the project's go.mod, go.sum and imports. */
  private moduleKey(): string {
    return this.ownGoMod ? `own:${this.opts.resolveKey(Object.fromEntries(this.files))}` : 'template';
  }

  /** go.mod/go.sum on disk: the template's, or the project's as the dependency step resolves them. True when they changed. */
  private async writeModule(): Promise<boolean> {
    const key = this.moduleKey();
    let module = this.opts.template;
    if (this.ownGoMod) {
      const resolved = await this.opts.resolve(Object.fromEntries(this.files)).catch(() => null);
      module = resolved ?? { goMod: this.files.get('go.mod')!, goSum: this.files.get('go.sum') ?? '' };
    }
    if (this.off) return false;
    this.moduleKeyOnDisk = key;
    if (this.module && this.module.goMod === module.goMod && this.module.goSum === module.goSum) return false;
    this.module = module;
    await this.writeFile('go.mod', module.goMod);
    await this.writeFile('go.sum', module.goSum);
    return true;
  }

  /** Runs the dependency step again (in the background) when its input changed; gopls reloads when the module files do. */
  private scheduleResolve(): void {
    if (this.moduleKey() === this.moduleKeyOnDisk) return;
    if (this.resolving) {
      this.resolveAgain = true;
      return;
    }
    this.resolving = (async () => {
      do {
        this.resolveAgain = false;
        if ((await this.writeModule()) && !this.off) {
          this.conn?.notify('workspace/didChangeWatchedFiles', {
            changes: ['go.mod', 'go.sum'].map((f) => ({ uri: uriOf(this.opts.paths, f), type: CHANGED })),
          });
        }
      } while (this.resolveAgain && !this.off);
    })()
      .catch((e: Error) => log.warn('lsp.resolve-failed', { workspaceId: this.id, message: e.message }))
      .finally(() => (this.resolving = undefined));
  }

  private openDoc(rel: string, text: string): void {
    this.docs.set(rel, { version: 1 });
    this.conn!.notify('textDocument/didOpen', { textDocument: { uri: uriOf(this.opts.paths, rel), languageId: 'go', version: 1, text } });
  }

  /**
   * Applies one file's new text (or its deletion, `null`), after checking the project as it would
   * then be with the build's rules. Returns the document version gopls got, or null when nothing
   * was sent to it (an older edit, a file that is not Go).
   */
  private applyChange(rel: string, text: string | null, clientVersion?: number): Promise<number | null> {
    const next = this.edits.then(async () => {
      if (this.off) return null;
      const doc = this.docs.get(rel);
      if (clientVersion !== undefined && doc?.clientVersion !== undefined && clientVersion <= doc.clientVersion) return null;
      if (text !== null && this.files.get(rel) === text) {
        if (doc && clientVersion !== undefined) doc.clientVersion = clientVersion;
        return doc ? doc.version : null;
      }
      const files = Object.fromEntries(this.files);
      if (text === null) delete files[rel];
      else files[rel] = text;
      const wrong = checkFiles(files, this.opts.fileLimits);
      if (wrong) throw new BadSourcesError(wrong.message, wrong.field);
      const existed = this.files.has(rel);
      if (text === null) this.files.delete(rel);
      else this.files.set(rel, text);
      const conn = this.conn!;
      const uri = uriOf(this.opts.paths, rel);
      if (MODULE_FILES.has(rel)) {
        this.scheduleResolve();
        return null;
      }
      if (text === null) {
        this.diags.delete(rel);
        if (existed) await unlink(path.join(this.opts.dir, rel)).catch(() => {});
        if (doc) {
          this.docs.delete(rel);
          conn.notify('textDocument/didClose', { textDocument: { uri } });
        }
        conn.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: DELETED }] });
        if (this.ownGoMod && isGo(rel)) this.scheduleResolve();
        return null;
      }
      await this.writeFile(rel, text);
      if (!isGo(rel)) {
        conn.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: existed ? CHANGED : CREATED }] });
        return null;
      }
      if (doc) {
        doc.version++;
        if (clientVersion !== undefined) doc.clientVersion = clientVersion;
        conn.notify('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: [{ text }] });
      } else {
        if (!existed) conn.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: CREATED }] });
        this.openDoc(rel, text);
        if (clientVersion !== undefined) this.docs.get(rel)!.clientVersion = clientVersion;
      }
      if (this.ownGoMod) this.scheduleResolve();
      return this.docs.get(rel)!.version;
    });
    this.edits = next.catch(() => {});
    return next;
  }

  /** Every project file's diagnostics, as last known. */
  private allDiagnostics(): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const [file, d] of this.diags) {
      if (file === 'go.mod' && !this.ownGoMod) continue;
      if (this.files.has(file) || file === 'go.mod') out.push(...d.items);
    }
    return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  }

  /**
   * Waits (bounded) for the diagnostics of `rel` at `version`: asked of gopls directly (pull
   * diagnostics: type errors and analyzers of the file's package), or as gopls publishes them.
   */
  private async diagnosticsOf(conn: LspConnection, rel: string, version: number): Promise<LspDiagnostics> {
    const wait = this.opts.caps.diagnosticsWaitMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), wait)));
    const waiter = { path: rel, version, resolve: () => {} };
    const pushed = new Promise<true>((resolve) => {
      waiter.resolve = () => resolve(true);
      const known = this.diags.get(rel);
      if (known && known.version >= version) resolve(true);
      else this.pushWaiters.push(waiter);
    });
    const pulled = conn
      .request<{ items?: RawDiagnostic[] } | null>('textDocument/diagnostic', { textDocument: { uri: uriOf(this.opts.paths, rel) } }, { timeoutMs: wait })
      .then(
        (r) => {
          if (this.docs.get(rel)?.version === version && r?.items) this.storeDiagnostics(rel, version, r.items);
          return true as const;
        },
        // gopls could not answer for this file (not in a package of the build, ...): what it publishes will do.
        () => pushed,
      );
    // The pull also runs the analyzers, which the first time in a gopls may take seconds; the type
    // errors gopls publishes at once then answer, a little later.
    const pushedThenGrace = pushed.then(() => new Promise<true>((r) => setTimeout(() => r(true), PULL_GRACE_MS)));
    const settled = await Promise.race([pulled, pushedThenGrace, timeout]);
    clearTimeout(timer);
    this.pushWaiters = this.pushWaiters.filter((w) => w !== waiter);
    return { diagnostics: this.allDiagnostics(), settled };
  }

  // --- the API's operations

  /** didOpen/didChange (or a deletion), then the diagnostics once gopls has them for this version. */
  change(rel: string, text: string | null, clientVersion?: number): Promise<LspDiagnostics | LspOff> {
    return this.use(async (conn) => {
      const version = await this.applyChange(rel, text, clientVersion);
      const current = this.docs.get(rel);
      if (version === null && !current) return { diagnostics: this.allDiagnostics(), settled: true };
      return this.diagnosticsOf(conn, rel, version ?? current!.version);
    });
  }

  diagnostics(): Promise<LspDiagnostics | LspOff> {
    return this.use(async () => ({ diagnostics: this.allDiagnostics(), settled: true }));
  }

  /** Brings the file up to date with `text` when the request carries it, then the position's parameters; null when it is not an open Go file. */
  private async positionParams(req: LspPositionRequest): Promise<{ textDocument: { uri: string }; position: { line: number; character: number } } | null> {
    if (req.text !== undefined && this.files.get(req.path) !== req.text) await this.applyChange(req.path, req.text);
    else await this.edits;
    if (!this.docs.has(req.path)) return null;
    return { textDocument: { uri: uriOf(this.opts.paths, req.path) }, position: toPosition(req.line, req.column) };
  }

  completion(req: LspPositionRequest): Promise<LspCompletion | LspOff> {
    return this.use(async (conn) => {
      const at = await this.positionParams(req);
      if (!at) return { items: [], incomplete: false };
      return toCompletion(await this.ask(conn, 'textDocument/completion', { ...at, context: { triggerKind: 1 } }));
    });
  }

  hover(req: LspPositionRequest): Promise<LspHover | LspOff> {
    return this.use(async (conn) => {
      const at = await this.positionParams(req);
      return at ? toHover(await this.ask(conn, 'textDocument/hover', at)) : { hover: null };
    });
  }

  signature(req: LspPositionRequest): Promise<LspSignature | LspOff> {
    return this.use(async (conn) => {
      const at = await this.positionParams(req);
      // Invoked: the editor asks when it wants help, also inside a string argument.
      return at ? toSignature(await this.ask(conn, 'textDocument/signatureHelp', { ...at, context: { triggerKind: 1, isRetrigger: false } })) : { signature: null };
    });
  }

  definition(req: LspPositionRequest): Promise<LspDefinition | LspOff> {
    return this.use(async (conn) => {
      const at = await this.positionParams(req);
      if (!at) return { definitions: [] };
      const raw = await this.ask<Parameters<typeof toLocations>[1]>(conn, 'textDocument/definition', at);
      return { definitions: await toLocations(this.opts.paths, raw, new Set(this.files.keys())) };
    });
  }

  /** Ends gopls (it keeps nothing worth a polite shutdown); the workspace is off with `cause`. */
  async stop(cause: LspOffCause, reason: string): Promise<void> {
    this.turnOff(cause, reason);
    await this.exited();
  }
}
