import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app.js';
import { Builder } from '../../src/build/builder.js';
import { ExampleCatalog } from '../../src/examples/catalog.js';
import { examplesDir } from '../../src/toolchain/paths.js';

export interface TestServer {
  url: string;
  builder: Builder;
  post(path: string, body: unknown): Promise<{ status: number; json: any }>;
  get(path: string): Promise<Response>;
  close(): Promise<void>;
}

/** A real playground server on a free loopback port, with the real builder and data folder. */
export async function startServer(opts: { slots?: number } = {}): Promise<TestServer> {
  const builder = await Builder.create({ slots: opts.slots });
  const app = createApp({ builder, examples: new ExampleCatalog(examplesDir) });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    builder,
    async post(path, body) {
      const res = await fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    get: (path) => fetch(url + path),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A comment that makes a source unique to this run, so its first build is never a cache hit. */
export const nonce = () => `\n// run ${Date.now()}-${Math.random()}\n`;
