import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyBytes, bytesToBody, type Exchange, type HttpRequestMessage } from '@playground/shared';
import type { SessionLimits } from './limits.js';

/**
 * A session's own HTTP listener on loopback: whatever arrives (from curl or a browser) goes
 * through the plugin to the upstream and back, like a request to the gateway's port. The same caps
 * as the API apply: body size, header count, an origin-form path.
 */
export class GatewayListener {
  private server: Server | null = null;
  url = '';

  constructor(
    private readonly handle: (req: HttpRequestMessage, authority: string) => Promise<Exchange>,
    private readonly limits: Pick<SessionLimits, 'requestBodyBytes' | 'maxHeaders'>,
  ) {}

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      this.serve(req, res).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`playground gateway error: ${err.message}\n`);
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reject = (status: number, message: string) => {
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(`${message}\n`);
    };
    if (!req.url?.startsWith('/')) return reject(400, 'the playground gateway takes origin-form paths ("/...") only');
    if (req.rawHeaders.length / 2 > this.limits.maxHeaders) return reject(431, `more than ${this.limits.maxHeaders} headers`);
    const body = await readBody(req, this.limits.requestBodyBytes);
    if (body === null) return reject(413, `request body over ${this.limits.requestBodyBytes} bytes`);
    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]]);
    const ex = await this.handle(
      { method: req.method ?? 'GET', path: req.url, headers, body: bytesToBody(new Uint8Array(body)) },
      req.headers.host ?? new URL(this.url).host,
    );
    const out = ex.response;
    // Status 0: the stream was reset before a response began, as Envoy resets the connection.
    if (out.status === 0) return void res.destroy();
    const pairs = out.headers.filter(([k]) => !['transfer-encoding', 'connection', 'content-length'].includes(k));
    res.writeHead(out.status, pairs.flat());
    res.end(Buffer.from(bodyBytes(out.body)));
  }

  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

/** The whole body, or null as soon as it passes the cap (the rest is not read). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.pause();
        resolve(null);
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
