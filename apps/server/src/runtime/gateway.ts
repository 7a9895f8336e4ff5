import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyBytes, type Exchange, type HttpRequestMessage } from '@playground/shared';

/**
 * A session's own HTTP listener on loopback: whatever arrives (from curl or a browser) goes
 * through the plugin to the upstream and back, like a request to the gateway's port.
 */
export class GatewayListener {
  private server: Server | null = null;
  url = '';

  constructor(
    private readonly handle: (req: HttpRequestMessage, authority: string) => Promise<Exchange>,
    private readonly maxBodyBytes: number,
  ) {}

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      readBody(req, this.maxBodyBytes)
        .then(async (body) => {
          if (body === null) {
            res.writeHead(413, { 'content-type': 'text/plain' }).end(`request body over ${this.maxBodyBytes} bytes\n`);
            return;
          }
          const headers: [string, string][] = [];
          for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]]);
          const ex = await this.handle(
            { method: req.method ?? 'GET', path: req.url ?? '/', headers, body: body.toString('utf8') },
            req.headers.host ?? new URL(this.url).host,
          );
          const out = ex.response;
          // Status 0: the stream was reset before a response began, as Envoy resets the connection.
          if (out.status === 0) return void res.destroy();
          const pairs = out.headers.filter(([k]) => !['transfer-encoding', 'connection', 'content-length'].includes(k));
          res.writeHead(out.status, pairs.flat());
          res.end(Buffer.from(bodyBytes(out.body)));
        })
        .catch((err: Error) => {
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`playground gateway error: ${err.message}\n`);
        });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
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

function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
