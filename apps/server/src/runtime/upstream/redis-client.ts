// A small Redis client for the playground's own use of a session's Redis (health checks, the keys
// view, flushing): one connection, commands answered in order. Plugins never use it; their calls go
// through the host's gateway-like client.
import { decodeReply, encodeCommand, valueEnd, type RespValue } from '@playground/proxy-wasm-host';
import net from 'node:net';

export class RedisClient {
  private readonly socket: net.Socket;
  private readonly waiting: { resolve: (v: RespValue) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  private inbox: Buffer = Buffer.alloc(0);
  private failure: Error | undefined;

  constructor(path: string) {
    this.socket = net.connect(path);
    this.socket.on('data', (d) => this.onData(d));
    this.socket.on('error', (e) => this.fail(e));
    this.socket.on('close', () => this.fail(new Error('the connection to Redis closed')));
  }

  /** Sends a command; rejects on a closed connection or no reply within `timeoutMs` (Redis replies with an Error value, not a rejection). */
  command(args: string[], timeoutMs = 2000): Promise<RespValue> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`Redis did not answer ${args[0]} within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push({ resolve, reject, timer });
      this.socket.write(encodeCommand(args));
    });
  }

  private onData(d: Buffer): void {
    this.inbox = this.inbox.length ? Buffer.concat([this.inbox, d]) : d;
    let at = 0;
    for (;;) {
      const end = valueEnd(this.inbox, at);
      if (end < 0) break;
      const w = this.waiting.shift();
      if (w) {
        clearTimeout(w.timer);
        w.resolve(decodeReply(this.inbox, at));
      }
      at = end;
    }
    this.inbox = this.inbox.subarray(at);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.reject(this.failure);
    }
    this.socket.destroy();
  }

  get broken(): boolean {
    return this.failure !== undefined;
  }

  close(): void {
    this.fail(new Error('closed'));
  }
}
