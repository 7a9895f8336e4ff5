import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  locateConfigError,
  yamlToConfigJson,
  type Exchange,
  type HttpRequestMessage,
  type LogEntry,
  type MockService,
  type RuntimeName,
  type SessionEvent,
  type SessionInfo,
} from '@playground/shared';
import { log } from '../util/log.js';
import { GatewayListener } from './gateway.js';
import type { SessionLimits } from './limits.js';
import type { Runtime, RuntimeSession } from './runtime.js';

/** A failure the API turns into an HTTP status with a message (and maybe a position or logs). */
export class SessionError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { line?: number; column?: number; logs?: LogEntry[] } = {},
  ) {
    super(message);
  }
}

interface Live {
  id: string;
  client: string;
  runtime: RuntimeSession;
  gateway: GatewayListener;
  info: SessionInfo;
  lastUsed: number;
  listeners: Set<(e: SessionEvent) => void>;
}

export interface CreateOptions {
  client: string;
  wasmPath: string;
  config: string;
  runtime: RuntimeName;
  services: MockService[];
}

/**
 * Owns every live session: creates them (YAML -> JSON, plugin start, gateway port), routes their
 * exchanges, fans their events out to SSE subscribers, and ends them on request, on idle expiry,
 * when their plugin dies, or when the server stops.
 */
export class SessionManager {
  private sessions = new Map<string, Live>();
  private sweeper: NodeJS.Timeout;

  constructor(
    private readonly runtimes: Partial<Record<RuntimeName, Runtime>>,
    readonly limits: SessionLimits,
  ) {
    this.sweeper = setInterval(() => this.expireIdle(), Math.min(30_000, limits.idleMs / 2));
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  async create(opts: CreateOptions): Promise<SessionInfo> {
    const runtime = this.runtimes[opts.runtime];
    if (!runtime) throw new SessionError(400, `the "${opts.runtime}" runtime is not available on this server`);
    const config = yamlToConfigJson(opts.config);
    if (!config.ok) {
      throw new SessionError(422, `config.yaml line ${config.line}, column ${config.column}: ${config.error}`, {
        line: config.line,
        column: config.column,
      });
    }
    if (this.sessions.size >= this.limits.total) {
      throw new SessionError(429, `the server is running its maximum of ${this.limits.total} sessions; try again in a few minutes`);
    }
    const mine = [...this.sessions.values()].filter((s) => s.client === opts.client).length;
    if (mine >= this.limits.perClient) {
      throw new SessionError(429, `you already have ${mine} live sessions (the limit is ${this.limits.perClient}); end one with DELETE /api/sessions/{id}`);
    }

    const id = randomBytes(9).toString('base64url');
    const listeners = new Set<(e: SessionEvent) => void>();
    const emit = (e: SessionEvent) => listeners.forEach((l) => l(e));
    const wasm = new Uint8Array(await readFile(opts.wasmPath));
    let session: RuntimeSession;
    try {
      session = await runtime.start({
        sessionId: id,
        wasm,
        configJson: config.json,
        services: opts.services,
        onLog: (entry) => emit({ type: 'log', data: entry }),
        onFailure: (reason) => void this.end(id, `the plugin failed: ${reason}`),
      });
    } catch (err) {
      // A module that traps or panics while loading: the user's code, not the server, failed.
      throw new SessionError(422, `the plugin failed to start: ${(err as Error).message}`);
    }
    if (!session.configured) {
      await session.close();
      const why = session.startError ?? 'the plugin rejected its configuration (proxy_on_configure returned false)';
      // Point at the YAML key the plugin's complaint names, when it names one.
      const complaints = session.startLogs.filter((l) => l.level === 'error' || l.level === 'critical' || l.level === 'warn');
      const at = complaints.map((l) => locateConfigError(opts.config, l.message)).find((x) => x);
      throw new SessionError(422, at ? `${why}; see config.yaml line ${at.line} (${at.key})` : why, {
        logs: session.startLogs,
        ...(at ? { line: at.line, column: at.column } : {}),
      });
    }
    const gateway = new GatewayListener((req, authority) => this.exchange(id, req, authority), this.limits.requestBodyBytes);
    const gatewayUrl = await gateway.listen();
    const info: SessionInfo = { sessionId: id, gatewayUrl, configJson: config.json, runtime: opts.runtime, logs: session.startLogs };
    this.sessions.set(id, { id, client: opts.client, runtime: session, gateway, info, lastUsed: Date.now(), listeners });
    log.info('session.started', { sessionId: id, runtime: opts.runtime, gatewayUrl });
    return info;
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  /** Sends one request through the session's plugin; the exchange is also published as an event. */
  async exchange(id: string, req: HttpRequestMessage, authority?: string): Promise<Exchange> {
    const s = this.get(id);
    s.lastUsed = Date.now();
    const ex = await s.runtime.handle(req, { authority: authority ?? new URL(s.info.gatewayUrl).host });
    s.lastUsed = Date.now();
    log.info('session.exchange', { sessionId: id, requestId: ex.requestId, status: ex.response.status, localReply: ex.localReply, error: ex.error });
    s.listeners.forEach((l) => l({ type: 'exchange', data: ex }));
    return ex;
  }

  /** Subscribes to a session's events; returns the unsubscribe function. */
  subscribe(id: string, listener: (e: SessionEvent) => void): () => void {
    const s = this.get(id);
    s.listeners.add(listener);
    return () => s.listeners.delete(listener);
  }

  async end(id: string, reason = 'ended by the client'): Promise<boolean> {
    const s = this.sessions.get(id);
    if (!s) return false;
    this.sessions.delete(id);
    s.listeners.forEach((l) => l({ type: 'session-ended', data: { sessionId: id, reason } }));
    s.listeners.clear();
    await Promise.allSettled([s.gateway.close(), s.runtime.close()]);
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
