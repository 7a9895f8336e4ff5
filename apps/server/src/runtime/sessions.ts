import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  clusterNameFor,
  explainConfigMatch,
  GATEWAY_DEFAULTS,
  locateConfigError,
  pluginEffect,
  yamlToConfigJson,
  type ClockAdvance,
  type PluginEffect,
  type SequenceRequest,
  type SequenceResult,
  type SequenceStep,
  type Exchange,
  type HttpRequestMessage,
  type LogEntry,
  type GatewaySettings,
  type Service,
  type RuntimeName,
  type Metric,
  type RedisKeysView,
  type SessionEvent,
  type SessionInfo,
} from '@playground/shared';
import { stringSetting } from '../settings.js';
import * as metrics from '../ops/metrics.js';
import { log } from '../util/log.js';
import { GatewayListener } from './gateway.js';
import type { SessionLimits } from './limits.js';
import { LocalRegistry, type ReplicaRegistry } from '../replicas/registry.js';
import type { ExchangeOptions, Runtime, RuntimeSession } from './runtime.js';
import { checkServices, ServiceUnavailable } from './services.js';

/** The runtime of that name, or a 400 saying it is not offered here and why. */
function runtime(runtimes: Partial<Record<RuntimeName, Runtime>>, name: RuntimeName, why: Partial<Record<RuntimeName, string>>): Runtime {
  const r = runtimes[name];
  if (!r) throw new SessionError(400, `the "${name}" runtime is not available on this server${why[name] ? `: ${why[name]}` : ''}`);
  return r;
}

/** The host of a gateway URL, or a stand-in name when it is relative (listeners off, no public URL). */
const authorityOf = (url: string) => (url.startsWith('/') ? 'playground.local' : new URL(url).host);

/** An exchange in the operators' metrics. */
function count(ex: Partial<Pick<Exchange, 'errorKind' | 'callouts' | 'redisCalls' | 'response'>> & { localReply: boolean; status?: number }): void {
  const status = ex.response?.status ?? ex.status ?? 0;
  metrics.exchanges.inc({ status: status ? `${Math.floor(status / 100)}xx` : 'reset', local: String(ex.localReply) });
  if (ex.errorKind === 'crash' || ex.errorKind === 'timeout' || ex.errorKind === 'memory') metrics.vmFaults.inc({ kind: ex.errorKind });
  if (ex.callouts?.length) metrics.callouts.inc({ kind: 'http' }, ex.callouts.length);
  if (ex.redisCalls?.length) metrics.callouts.inc({ kind: 'redis' }, ex.redisCalls.length);
}

/** Timeline phases that are not time spent in plugin callbacks. */
const NOT_PLUGIN_TIME = new Set(['upstream', 'config_match', 'local_reply']);

/** A failure the API turns into an HTTP status with a message (and maybe a position or logs). */
export class SessionError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { line?: number; column?: number; logs?: LogEntry[]; stage?: 'yaml' | 'config' | 'start' | 'limit' } = {},
  ) {
    super(message);
  }
}

interface Live {
  id: string;
  client: string;
  runtime: RuntimeSession;
  /** The gateway port the session manager opened in front of the runtime (none when the runtime has its own). */
  gateway: GatewayListener | undefined;
  info: SessionInfo;
  /** The parsed plugin config, for explaining which `_rules_` entry applies. */
  config: unknown;
  clock: 'real' | 'virtual';
  lastUsed: number;
  /** Exchanges sent through the API and not answered yet. */
  inFlight: number;
  /** `:authority` for requests that name none: the gateway's host. */
  authority: string;
  listeners: Set<(e: SessionEvent) => void>;
  /**
   * The latest log lines written in the background (the other workers' and the main thread's VMs
   * starting, ticks), replayed to a new subscriber: the page subscribes only once its Run has
   * answered, after those lines were written.
   */
  recentLogs: SessionEvent[];
}

/** How many background log lines a new subscriber is sent first. */
const RECENT_LOGS = 200;

export interface CreateOptions {
  client: string;
  buildId: string;
  config: string;
  runtime: RuntimeName;
  services: Service[];
  clock?: 'real' | 'virtual';
  gateway?: GatewaySettings;
}

/**
 * Owns every live session: creates them (YAML -> JSON, plugin start, gateway port), routes their
 * exchanges, fans their events out to SSE subscribers, and ends them on request, on idle expiry,
 * when their plugin dies, or when the server stops.
 */
export class SessionManager {
  private sessions = new Map<string, Live>();
  /** Sessions being started, by client, so the caps count them too. */
  private starting = new Map<symbol, string>();
  /** Sessions ended whose plugin thread has not exited yet: they still hold memory, so they count too. */
  private ending = new Map<symbol, string>();
  private sweeper: NodeJS.Timeout;

  constructor(
    private readonly runtimes: Partial<Record<RuntimeName, Runtime>>,
    readonly limits: SessionLimits,
    /** Where a build's module is (fetched from the replica that built it if need be), or null for an unknown build. */
    private readonly wasmFor: (buildId: string) => Promise<string | null>,
    /** Why a runtime is not offered, for the error a request for it gets. */
    private readonly unavailable: Partial<Record<RuntimeName, string>> = {},
    /** Tells the other replicas which sessions this one runs. */
    private readonly registry: ReplicaRegistry = new LocalRegistry(),
  ) {
    this.sweeper = setInterval(() => this.expireIdle(), Math.min(30_000, limits.idleMs / 2));
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** True once drain() was called: new sessions are refused, live ones go on. */
  draining = false;

  /**
   * Refuses new sessions; resolves when the live ones have ended and `busy()` (builds under way)
   * says nothing else is running, or when `graceMs` has passed.
   */
  async drain(graceMs: number, busy: () => boolean = () => false): Promise<void> {
    this.draining = true;
    const deadline = Date.now() + graceMs;
    while ((this.sessions.size > 0 || busy()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  }

  counts(): { live: number; starting: number; ending: number } {
    return { live: this.sessions.size, starting: this.starting.size, ending: this.ending.size };
  }

  /** Throws the 503 a draining server answers for new sessions. */
  refuseWhenDraining(): void {
    if (this.draining) throw new SessionError(503, 'this server is shutting down and starts no new sessions; try again (another replica will take it)');
  }

  async create(opts: CreateOptions): Promise<SessionInfo> {
    this.refuseWhenDraining();
    runtime(this.runtimes, opts.runtime, this.unavailable);
    const wrong = checkServices(opts.services, opts.gateway ?? {});
    if (wrong) throw new SessionError(400, wrong);
    const needsEmbedded = opts.services.find((s) => s.kind !== 'http');
    if (needsEmbedded && opts.runtime !== 'embedded') {
      throw new SessionError(400, `the ${opts.runtime} runtime serves http services only; "${needsEmbedded.name}" (${needsEmbedded.kind}) needs the embedded runtime`);
    }
    const config = yamlToConfigJson(opts.config);
    if (!config.ok) {
      throw new SessionError(422, `config.yaml line ${config.line}, column ${config.column}: ${config.error}`, {
        line: config.line,
        column: config.column,
        stage: 'yaml',
      });
    }
    // Slots are taken before the first await, so parallel creates cannot overshoot the caps.
    const release = this.reserve(opts.client);
    try {
      return await this.start(opts, config);
    } finally {
      release();
    }
  }

  /**
   * A full server still lets a client in who holds fewer sessions than another: that client's
   * least recently used session ends (its user is told why). So no group of clients can lock the
   * others out; each gets a fair share of the global cap.
   */
  private makeRoomFor(client: string, mine: number, live: Live[]): boolean {
    const byClient = new Map<string, Live[]>();
    for (const s of live) if (s.client !== client) byClient.set(s.client, [...(byClient.get(s.client) ?? []), s]);
    const [, most] = [...byClient].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
    if (!most || most.length <= mine + 1) return false;
    const victim = most.reduce((a, b) => (a.lastUsed <= b.lastUsed ? a : b));
    void this.end(victim.id, 'the server was full: this session made room for another user (each user gets a share of the sessions)');
    return true;
  }

  /** Counts a session being started against the caps; the returned function gives the slot back. */
  private reserve(client: string): () => void {
    const live = [...this.sessions.values()];
    const used = live.length + this.starting.size + this.ending.size;
    const mine = live.filter((s) => s.client === client).length + [...this.starting.values(), ...this.ending.values()].filter((c) => c === client).length;
    // At its own cap, a client's least recently used session that no page watches (its tab crashed,
    // or an API client's old one) makes room; sessions open in a page are never taken. Its slot
    // counts as free at once (its thread ends within moments), unless the client already has a cap's
    // worth of sessions still ending, so stuck threads cannot pile up.
    let freed = 0;
    if (mine >= this.limits.perClient) {
      const unwatched = live.filter((s) => s.client === client && s.listeners.size === 0);
      const endingMine = [...this.ending.values()].filter((c) => c === client).length;
      if (!unwatched.length || endingMine >= this.limits.perClient) {
        throw new SessionError(
          429,
          `you already have ${mine} live sessions, the most one user may have, each open in a page: close a playground tab you no longer use (its session ends with it), or end one with DELETE /api/sessions/{id}`,
          { stage: 'limit' },
        );
      }
      const victim = unwatched.reduce((a, b) => (a.lastUsed <= b.lastUsed ? a : b));
      void this.end(victim.id, `replaced: you started more than ${this.limits.perClient} sessions, and no page was watching this one`);
      freed = 1;
    }
    if (used - freed >= this.limits.total && !this.makeRoomFor(client, mine, live)) {
      throw new SessionError(429, `the server is running its maximum of ${this.limits.total} sessions; try again in a few minutes`, { stage: 'limit' });
    }
    const token = Symbol(client);
    this.starting.set(token, client);
    return () => this.starting.delete(token);
  }

  private async start(opts: CreateOptions, config: { json: string; value: unknown }): Promise<SessionInfo> {
    const id = randomBytes(9).toString('base64url');
    const listeners = new Set<(e: SessionEvent) => void>();
    const recentLogs: SessionEvent[] = [];
    const emit = (e: SessionEvent) => {
      if (recentLogs.push(e) > RECENT_LOGS) recentLogs.shift();
      listeners.forEach((l) => l(e));
    };
    const wasmPath = await this.wasmFor(opts.buildId);
    if (!wasmPath || !existsSync(wasmPath)) throw new SessionError(404, `no build with id "${opts.buildId}"; build first with POST /api/build`);
    let session: RuntimeSession;
    try {
      session = await runtime(this.runtimes, opts.runtime, this.unavailable).start({
        sessionId: id,
        buildId: opts.buildId,
        wasm: async () => new Uint8Array(await readFile(wasmPath)),
        clock: opts.clock ?? 'real',
        configJson: config.json,
        services: opts.services,
        gateway: opts.gateway ?? { profile: 'higress' },
        onLog: (entry) => emit({ type: 'log', data: entry }),
        onFailure: (reason) => void this.end(id, `the plugin failed: ${reason}`),
        onExchange: (summary, ex) => {
          const s = this.sessions.get(id);
          if (!s) return;
          // Whole exchanges come only while someone watches: unwatched curl traffic costs a log line.
          if (ex) this.publish(s, ex, ex.request, s.authority);
          else {
            s.lastUsed = Date.now();
            count(summary);
            log.info('session.exchange', { sessionId: id, ...summary });
          }
        },
      });
    } catch (err) {
      if (err instanceof ServiceUnavailable) throw new SessionError(503, err.message);
      // A module that traps or panics while loading: the user's code, not the server, failed.
      throw new SessionError(422, `the plugin failed to start: ${(err as Error).message}`, { stage: 'start' });
    }
    if (!session.configured) {
      await session.close();
      const why = session.startError ?? 'the plugin rejected its configuration (proxy_on_configure returned false)';
      // Point at the YAML key the plugin's complaint names, when it names one.
      const complaints = session.startLogs.filter((l) => l.level === 'error' || l.level === 'critical' || l.level === 'warn');
      const at = complaints.map((l) => locateConfigError(opts.config, l.message)).find((x) => x);
      throw new SessionError(422, at ? `${why}; see config.yaml line ${at.line} (${at.key})` : why, {
        stage: session.startError ? 'start' : 'config',
        logs: session.startLogs,
        ...(at ? { line: at.line, column: at.column } : {}),
      });
    }
    // The embedded runtime serves its port in the plugin's thread; otherwise one is opened here
    // (unless loopback listeners are off: then /gw/{id} on the main origin is the way in).
    const listen = stringSetting('PLAYGROUND_SESSION_LISTENERS') !== '0';
    const gateway = session.gatewayUrl || !listen ? undefined : new GatewayListener((req, authority, live) => this.exchange(id, req, { authority, live }), this.limits);
    const gatewayPath = `/gw/${id}`;
    const publicUrl = stringSetting('PLAYGROUND_PUBLIC_URL');
    const gatewayUrl =
      session.gatewayUrl ??
      (gateway
        ? await gateway.listen().catch(async (err: Error) => {
            await session.close();
            throw err;
          })
        : publicUrl
          ? `${publicUrl.replace(/\/$/, '')}${gatewayPath}`
          : gatewayPath);
    const info: SessionInfo = {
      sessionId: id,
      gatewayUrl,
      gatewayPath,
      configJson: config.json,
      runtime: opts.runtime,
      logs: session.startLogs,
      ...(session.gateway ? { gateway: session.gateway } : {}),
      ...(session.clusters ? { clusters: session.clusters } : {}),
    };
    const clock = opts.clock ?? 'real';
    // Nobody watches yet: the runtime keeps logs and whole exchanges of its own port to itself.
    session.watch?.(false);
    this.sessions.set(id, { id, client: opts.client, runtime: session, gateway, info, config: config.value, clock, lastUsed: Date.now(), inFlight: 0, authority: authorityOf(gatewayUrl), listeners, recentLogs });
    await this.registry.claim(id).catch((e: Error) => log.warn('session.claim-failed', { sessionId: id, message: e.message }));
    log.info('session.started', { sessionId: id, runtime: opts.runtime, gatewayUrl });
    return info;
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  /**
   * Only the client that started a session may drive or end it through the API (its gateway port
   * is open to any client, as a gateway's is). An unknown id passes: the route answers 404.
   */
  checkOwner(id: string, client: string): void {
    const s = this.sessions.get(id);
    if (s && s.client !== client) throw new SessionError(403, `session "${id}" belongs to another client; start your own with Run`);
  }

  /** Whether `client` started session `id`, which is live. */
  ownedBy(id: string, client: string): boolean {
    return this.sessions.get(id)?.client === client;
  }

  /** Sends one request through the session's plugin; the exchange is also published as an event. */
  async exchange(id: string, req: HttpRequestMessage, opts: ExchangeOptions = {}): Promise<Exchange> {
    const s = this.get(id);
    s.lastUsed = Date.now();
    if (s.inFlight >= this.limits.inFlight) {
      throw new SessionError(429, `this session already has ${s.inFlight} requests in flight (at most ${this.limits.inFlight}); retry when some have finished`, { stage: 'limit' });
    }
    const host = opts.authority ?? s.authority;
    s.inFlight++;
    try {
      const ex = await s.runtime.handle(req, { ...opts, authority: host });
      this.publish(s, ex, req, host);
      return ex;
    } finally {
      s.inFlight--;
    }
  }

  /** Explains which config applied, logs the exchange and sends it to the session's event stream. */
  private publish(s: Live, ex: Exchange, req: Pick<HttpRequestMessage, 'headers' | 'route' | 'service'>, host: string): void {
    ex.configMatch = explainConfigMatch(s.config, {
      host: req.headers.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? host,
      route: req.route ?? GATEWAY_DEFAULTS.route,
      cluster: clusterNameFor(req.service ?? GATEWAY_DEFAULTS.service),
    });
    ex.timeline.unshift({ phase: 'config_match', durationUs: 0, detail: `${ex.configMatch.applied}: ${ex.configMatch.reason}` });
    s.lastUsed = Date.now();
    count(ex);
    log.info('session.exchange', { sessionId: s.id, requestId: ex.requestId, status: ex.response.status, localReply: ex.localReply, error: ex.error });
    s.listeners.forEach((l) => l({ type: 'exchange', data: ex }));
  }

  /**
   * The same request through the plugin and around it, with one request id for both so httpbin's
   * echo differs only where the plugin made a difference.
   */
  async pluginEffect(id: string, req: HttpRequestMessage): Promise<{ withPlugin: Exchange; withoutPlugin: Exchange; effect: PluginEffect }> {
    const s = this.get(id);
    if (!s.runtime.handleWithoutPlugin) throw new SessionError(400, `the ${s.info.runtime} runtime cannot run a request without the plugin`);
    const same = req.headers.some(([k]) => k.toLowerCase() === 'x-request-id') ? req : { ...req, headers: [...req.headers, ['x-request-id', randomUUID()] as [string, string]] };
    const withPlugin = await this.exchange(id, same);
    const withoutPlugin = await s.runtime.handleWithoutPlugin(same, { authority: s.authority });
    return { withPlugin, withoutPlugin, effect: pluginEffect(withPlugin, withoutPlugin) };
  }

  /** Moves a virtual-clock session's time forward; the ticks that fall due fire and log. */
  async advance(id: string, ms: number): Promise<ClockAdvance> {
    const s = this.get(id);
    if (!s.runtime.advanceTime) throw new SessionError(400, `the ${s.info.runtime} runtime has no virtual clock`);
    if (s.clock !== 'virtual') throw new SessionError(409, 'this session runs on the real clock; start it with "clock": "virtual" to move time yourself');
    s.lastUsed = Date.now();
    const r = await s.runtime.advanceTime(ms).catch((err: Error) => {
      throw new SessionError(422, `the plugin failed while time moved: ${err.message}`);
    });
    r.logs.forEach((l) => s.listeners.forEach((f) => f({ type: 'log', data: l })));
    return r;
  }

  /**
   * Sends a list of requests (repeated) through one VM so plugin state carries over, optionally
   * moving a virtual clock between them, and records per-request callback time and VM memory.
   */
  async sequence(id: string, req: SequenceRequest): Promise<SequenceResult> {
    const s = this.get(id);
    const total = req.requests.length * req.repeat;
    if (total > 1000) throw new SessionError(413, `a sequence holds at most 1000 requests (this one: ${total})`);
    if (req.advanceMs > 0 && s.clock !== 'virtual') {
      throw new SessionError(409, 'advancing time between requests needs a session started with "clock": "virtual"');
    }
    const steps: SequenceStep[] = [];
    const exchanges: Exchange[] = [];
    for (let index = 0; index < total; index++) {
      const ticks = index > 0 && req.advanceMs > 0 ? (await this.advance(id, req.advanceMs)).ticks : 0;
      const request = req.requests[index % req.requests.length];
      const ex = await this.exchange(id, request);
      const durationUs = ex.timeline.filter((t) => !NOT_PLUGIN_TIME.has(t.phase)).reduce((sum, t) => sum + t.durationUs, 0);
      const memoryBytes = (await s.runtime.memoryBytes?.()) ?? 0;
      steps.push({
        index,
        request: { method: request.method, path: request.path },
        status: ex.response.status,
        localReply: ex.localReply,
        durationUs,
        memoryBytes,
        ticks,
        ...(ex.error ? { error: ex.error } : {}),
      });
      exchanges.push(ex);
      if (exchanges.length > 20) exchanges.shift();
      if (!this.sessions.has(id)) break;
    }
    return { steps, exchanges };
  }

  /** The plugin's metrics, as the gateway's stats would show them. */
  async metrics(id: string): Promise<Metric[]> {
    const s = this.get(id);
    if (!s.runtime.metrics) throw new SessionError(400, `the ${s.info.runtime} runtime does not report plugin metrics`);
    return s.runtime.metrics();
  }

  /** The keys in the session's Redis services. */
  async redisKeys(id: string): Promise<RedisKeysView> {
    const s = this.get(id);
    s.lastUsed = Date.now();
    return s.runtime.redisKeys ? s.runtime.redisKeys() : { services: [] };
  }

  /** Deletes the keys of one of the session's Redis services, or of all. */
  async redisFlush(id: string, service?: string): Promise<void> {
    const s = this.get(id);
    if (!s.runtime.redisFlush) throw new SessionError(400, 'this session has no Redis services');
    await s.runtime.redisFlush(service).catch((e: Error) => {
      throw new SessionError(/no Redis service named/.test(e.message) ? 404 : /no Redis services/.test(e.message) ? 400 : 503, e.message);
    });
  }

  /** Subscribes to a session's events; returns the unsubscribe function. */
  subscribe(id: string, listener: (e: SessionEvent) => void): () => void {
    const s = this.get(id);
    for (const e of s.recentLogs) listener(e);
    s.listeners.add(listener);
    if (s.listeners.size === 1) s.runtime.watch?.(true);
    return () => {
      s.listeners.delete(listener);
      if (s.listeners.size === 0) s.runtime.watch?.(false);
    };
  }

  async end(id: string, reason = 'ended by the client'): Promise<boolean> {
    const s = this.sessions.get(id);
    if (!s) return false;
    this.sessions.delete(id);
    s.listeners.forEach((l) => l({ type: 'session-ended', data: { sessionId: id, reason } }));
    s.listeners.clear();
    const token = Symbol(id);
    this.ending.set(token, s.client);
    await Promise.allSettled([s.gateway?.close(), s.runtime.close(), this.registry.release(id)]);
    this.ending.delete(token);
    log.info('session.ended', { sessionId: id, reason });
    return true;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.keys()].map((id) => this.end(id, 'the server is stopping')));
  }

  private get(id: string): Live {
    const s = this.sessions.get(id);
    if (!s) throw new SessionError(404, `no live session "${id}": it ended or expired; run again to start a new one`);
    return s;
  }

  private expireIdle(): void {
    const now = Date.now();
    for (const s of this.sessions.values()) {
      if (now - s.lastUsed > this.limits.idleMs) void this.end(s.id, 'idle for too long');
    }
  }
}
