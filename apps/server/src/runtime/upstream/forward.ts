import { Agent, request as httpRequest } from 'node:http';
import type { HttpResponse } from '@playground/proxy-wasm-host';

/** Headers Node sets itself, or that describe the hop rather than the message. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te']);

export class UpstreamError extends Error {}

/** One pool of connections to the local upstreams, bounded so no plugin can open sockets without limit. */
const agent = new Agent({ keepAlive: true, maxSockets: 64, maxTotalSockets: 256 });

/**
 * Sends one request to an HTTP server and collects the whole response. The `host` header the
 * upstream sees is the request's authority, as Envoy forwards it.
 */
export function forward(
  baseUrl: string,
  req: { method: string; path: string; authority?: string; headers: [string, string][]; body?: Uint8Array },
  timeoutMs = 15_000,
  maxBodyBytes = 8 * 1024 * 1024,
): Promise<HttpResponse> {
  const url = new URL(baseUrl);
  const headers: [string, string][] = req.headers.filter(([k]) => !k.startsWith(':') && !HOP_BY_HOP.has(k.toLowerCase()));
  if (req.authority && !headers.some(([k]) => k.toLowerCase() === 'host')) headers.unshift(['host', req.authority]);
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: headers.flat(),
        timeout: timeoutMs,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBodyBytes) {
            res.destroy(new UpstreamError(`the upstream response is over ${maxBodyBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => {
          const pairs: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i].toLowerCase();
            if (!HOP_BY_HOP.has(name)) pairs.push([name, res.rawHeaders[i + 1]]);
          }
          resolve({ status: res.statusCode ?? 502, headers: pairs, body: new Uint8Array(Buffer.concat(chunks)) });
        });
      },
    );
    r.on('timeout', () => r.destroy(new UpstreamError(`the upstream did not answer within ${timeoutMs} ms`)));
    r.on('error', (err) => reject(err instanceof UpstreamError ? err : new UpstreamError(`upstream connect error: ${(err as NodeJS.ErrnoException).code ?? err.message}`)));
    r.end(req.body && req.body.length ? Buffer.from(req.body) : undefined);
  });
}
