// Redis for one VM, as Higress' Envoy serves proxy_redis_init / proxy_redis_call: each cluster has
// an async client (ENVOY common/redis/async_client_impl.cc) with one pipelined connection to its
// host (extensions/filters/network/common/redis/raw_client_impl.cc):
// - initialize() closes the open connection (its pending calls fail) and keeps username, password,
//   op timeout and the cluster name's query parameters (`?db=1`) for the next connection, which
//   first sends AUTH and SELECT with nobody waiting for their replies;
// - the query bytes go out as the plugin wrote them; each reply (one RESP value) answers the oldest
//   pending call; bytes that are not RESP2 close the connection;
// - the op timeout runs from the first pending call (re-armed by each reply); when it fires, the
//   connection closes and every pending call fails, like a connection that breaks or never opens.
// Failures reach the plugin as RedisStatus NetworkError with an empty response.
import net from 'node:net';
import { encodeCommand, ProtocolError, valueEnd } from './resp.js';
import type { RedisTarget } from './types.js';

/** RawClientImpl's connect timeout is the cluster's; Envoy's default connect_timeout is 5 s. */
const CONNECT_TIMEOUT_MS = 5000;
/** AsyncClientImpl ConfigImpl(): the op timeout before proxy_redis_init sets one. */
export const DEFAULT_OP_TIMEOUT_MS = 1000;

export interface RedisConfig {
  username: string;
  password: string;
  timeoutMs: number;
  params: Map<string, string>;
}

export interface RedisReply {
  /** The reply's bytes (one RESP value), or null when the call failed. */
  data: Uint8Array | null;
  /** Why it failed (refused, timeout, closed, protocol error). */
  error?: string;
}

type Pending = { done: ((r: RedisReply) => void) | null };

/** One connection to a cluster's Redis host, pipelined. */
class RedisConnection {
  private readonly socket: net.Socket;
  private readonly pending: Pending[] = [];
  private inbox = new Uint8Array(0);
  private timer: NodeJS.Timeout | undefined;
  private connected = false;
  closed = false;

  constructor(
    target: RedisTarget,
    private readonly config: RedisConfig,
    private readonly onClosed: () => void,
  ) {
    this.socket = target.path ? net.connect(target.path) : net.connect(target.port ?? 6379, target.host ?? '127.0.0.1');
    this.socket.setNoDelay(true);
    this.arm(CONNECT_TIMEOUT_MS);
    this.socket.on('connect', () => {
      this.connected = true;
      this.arm(config.timeoutMs);
    });
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', (e) => this.close(e.message));
    this.socket.on('close', () => this.close('the connection closed'));
    // RawClientImpl::initialize (redis/utility.cc makeRawAuthRequest, makeSelectRequest): AUTH, then
    // SELECT from the cluster's ?db=, nobody waiting for their replies.
    if (config.username) this.write(encodeCommand(['AUTH', config.username, config.password]), null);
    else if (config.password) this.write(encodeCommand(['AUTH', config.password]), null);
    const db = config.params.get('db');
    if (db !== undefined) this.write(encodeCommand(['SELECT', db]), null);
  }

  write(query: Uint8Array, done: Pending['done']): void {
    this.pending.push({ done });
    this.socket.write(query);
    // The op timeout covers the first call on the pipeline (RawClientImpl::makeRawRequest).
    if (this.connected && this.pending.length === 1) this.arm(this.config.timeoutMs);
  }

  private arm(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.close(this.connected ? `no reply within the op timeout (${this.config.timeoutMs} ms)` : 'connect timeout'), Math.max(0, ms));
    this.timer.unref();
  }

  private onData(chunk: Uint8Array): void {
    const buf = this.inbox.length ? concat(this.inbox, chunk) : chunk;
    let at = 0;
    try {
      for (;;) {
        const end = valueEnd(buf, at);
        if (end < 0) break;
        const reply = buf.slice(at, end);
        at = end;
        const p = this.pending.shift();
        // A reply nobody asked for: Envoy only asserts; closing is what a release build comes to.
        if (!p) throw new ProtocolError('a reply arrived with no call waiting for it');
        if (this.pending.length === 0) clearTimeout(this.timer);
        else this.arm(this.config.timeoutMs);
        p.done?.({ data: reply });
        if (this.closed) return;
      }
    } catch (e) {
      return this.close(`the server sent what the gateway cannot read: ${(e as Error).message}`);
    }
    this.inbox = buf.slice(at);
  }

  /** Closes the connection; every pending call fails (RawClientImpl::onEvent). */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.socket.destroy();
    for (const p of this.pending.splice(0)) p.done?.({ data: null, error: reason });
    this.onClosed();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A cluster's async client: its config and its one connection. */
export class RedisClusterClient {
  private config: RedisConfig = { username: '', password: '', timeoutMs: DEFAULT_OP_TIMEOUT_MS, params: new Map() };
  private connection: RedisConnection | undefined;

  /** `target` undefined: the cluster has no Redis server (its calls fail as a non-Redis host would). */
  constructor(private readonly target: RedisTarget | undefined) {}

  /** AsyncClientImpl::initialize. */
  initialize(config: RedisConfig): void {
    this.connection?.close('the plugin called proxy_redis_init again');
    this.connection = undefined;
    this.config = config;
  }

  send(query: Uint8Array, done: (r: RedisReply) => void): void {
    if (!this.target) {
      // The cluster's host is not a Redis server: what it answers is no RESP, so the connection closes.
      setImmediate(() => done({ data: null, error: 'the cluster is not a Redis server' }));
      return;
    }
    if (!this.connection || this.connection.closed) {
      const conn: RedisConnection = new RedisConnection(this.target, this.config, () => {
        if (this.connection === conn) this.connection = undefined;
      });
      this.connection = conn;
    }
    this.connection.write(query, done);
  }

  close(): void {
    this.connection?.close('the VM closed');
    this.connection = undefined;
  }
}
