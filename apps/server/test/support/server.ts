import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app.js';
import { refuseTunnels } from '../../src/runtime/gateway.js';
import { createPlayground, type Playground } from '../../src/playground.js';

export interface TestServer {
  url: string;
  builder: Playground['builder'];
  playground: Playground;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read API answers loosely
  post(path: string, body: unknown): Promise<{ status: number; json: any }>;
  get(path: string): Promise<Response>;
  close(): Promise<void>;
}

/** A real playground server on a free loopback port, with the real builder and data folder. */
export async function startServer(opts: { slots?: number } = {}): Promise<TestServer> {
  const playground = await createPlayground({ slots: opts.slots });
  const builder = playground.builder;
  const app = createApp(playground);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  refuseTunnels(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    builder,
    playground,
    async post(path, body) {
      const res = await fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    get: (path) => fetch(url + path),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await playground.stop();
    },
  };
}

/** A comment that makes a source unique to this run, so its first build is never a cache hit. */
export const nonce = () => `\n// run ${Date.now()}-${Math.random()}\n`;
