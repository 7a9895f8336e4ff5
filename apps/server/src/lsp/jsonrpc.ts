// The Language Server Protocol's base protocol: JSON-RPC 2.0 messages framed by a
// `Content-Length` header, over a language server's stdin and stdout. Only what the playground
// needs: requests with timeouts and cancellation, notifications both ways, and answers to the few
// requests a server sends its client.
import type { Readable, Writable } from 'node:stream';

type Json = unknown;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The connection closed (the server exited, or we closed it) before an answer came. */
export class RpcClosedError extends Error {}

/** A request took longer than its timeout (it is then cancelled on the server's side). */
export class RpcTimeoutError extends Error {}

interface Pending {
  resolve(v: Json): void;
  reject(e: Error): void;
  timer?: NodeJS.Timeout;
}

export interface ConnectionOptions {
  /** The largest message accepted from the server; a larger one closes the connection. */
  maxMessageBytes: number;
  /** Answers a request the server sends (workspace/configuration, ...); `undefined` → method not found. */
  onRequest?(method: string, params: Json): Json | undefined;
  onNotification?(method: string, params: Json): void;
  /** The connection is unusable: the stream ended or the server broke the protocol. */
  onClose?(reason: string): void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class LspConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer: Buffer = Buffer.alloc(0);
  private closedFor: string | undefined;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    private readonly opts: ConnectionOptions,
  ) {
    input.on('data', (chunk: Buffer) => this.onData(chunk));
    input.on('end', () => this.close('the language server closed its output'));
    input.on('error', (e) => this.close(`reading from the language server failed: ${e.message}`));
    output.on('error', (e) => this.close(`writing to the language server failed: ${e.message}`));
  }

  get closed(): boolean {
    return this.closedFor !== undefined;
  }

  /** Sends a request; rejects with RpcError, RpcTimeoutError (after cancelling it) or RpcClosedError. */
  request<T = Json>(method: string, params: Json, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    if (this.closedFor) return Promise.reject(new RpcClosedError(this.closedFor));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { resolve: resolve as (v: Json) => void, reject };
      const cancel = (err: Error) => {
        if (!this.pending.delete(id)) return;
        clearTimeout(entry.timer);
        this.notify('$/cancelRequest', { id });
        reject(err);
      };
      if (opts.timeoutMs) entry.timer = setTimeout(() => cancel(new RpcTimeoutError(`${method} took longer than ${opts.timeoutMs} ms`)), opts.timeoutMs);
      opts.signal?.addEventListener('abort', () => cancel(new RpcTimeoutError(`${method} was cancelled`)), { once: true });
      this.pending.set(id, entry);
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: Json): void {
    if (!this.closedFor) this.send({ jsonrpc: '2.0', method, params });
  }

  /** Fails every pending request; later calls reject at once. */
  close(reason: string): void {
    if (this.closedFor) return;
    this.closedFor = reason;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new RpcClosedError(reason));
    }
    this.pending.clear();
    this.buffer = Buffer.alloc(0);
    this.opts.onClose?.(reason);
  }

  private send(message: Json): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    try {
      this.output.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
    } catch (e) {
      this.close(`writing to the language server failed: ${(e as Error).message}`);
    }
  }

  private onData(chunk: Buffer): void {
    if (this.closedFor) return;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const headerEnd = this.buffer.indexOf(HEADER_END);
      if (headerEnd < 0) {
        if (this.buffer.length > 8192) this.close('the language server sent a header without an end');
        return;
      }
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const m = /(?:^|\r\n)content-length:\s*(\d+)/i.exec(header);
      if (!m) return this.close('the language server sent a message without Content-Length');
      const length = Number(m[1]);
      if (length > this.opts.maxMessageBytes) return this.close(`the language server sent a message of ${length} bytes (at most ${this.opts.maxMessageBytes})`);
      const start = headerEnd + HEADER_END.length;
      if (this.buffer.length < start + length) return;
      const body = this.buffer.subarray(start, start + length).toString('utf8');
      this.buffer = this.buffer.subarray(start + length);
      let message: { id?: number | string | null; method?: string; params?: Json; result?: Json; error?: { code: number; message: string } };
      try {
        message = JSON.parse(body) as typeof message;
      } catch {
        return this.close('the language server sent a message that is not JSON');
      }
      this.dispatch(message);
    }
  }

  private dispatch(message: { id?: number | string | null; method?: string; params?: Json; result?: Json; error?: { code: number; message: string } }): void {
    if (message.method !== undefined) {
      if (message.id === undefined || message.id === null) {
        this.opts.onNotification?.(message.method, message.params);
        return;
      }
      // A request from the server: answered at once.
      let result: Json | undefined;
      try {
        result = this.opts.onRequest?.(message.method, message.params);
      } catch {
        result = undefined;
      }
      if (result === undefined) this.send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `${message.method} is not supported` } });
      else this.send({ jsonrpc: '2.0', id: message.id, result });
      return;
    }
    if (typeof message.id !== 'number') return;
    const p = this.pending.get(message.id);
    if (!p) return; // an answer to a request that timed out
    this.pending.delete(message.id);
    clearTimeout(p.timer);
    if (message.error) p.reject(new RpcError(message.error.code, message.error.message));
    else p.resolve(message.result ?? null);
  }
}
