// A real redis-server for the Redis tests (Debian's, installed by `pnpm run setup`): private, on a
// Unix socket in a temporary folder, no persistence. `command` talks to it directly, beside the
// plugin, to check what the plugin's calls did.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisTarget } from '../../src/index.js';
import { describeReply, valueEnd } from '../../src/resp.js';

export interface TestRedis {
  target: RedisTarget;
  /** Sends one command (as its arguments) and resolves with the reply as redis-cli prints it. */
  command(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startRedis(options: { password?: string } = {}): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'pwh-redis-'));
  const path = join(dir, 'redis.sock');
  const args = ['--port', '0', '--unixsocket', path, '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'];
  if (options.password) args.push('--requirepass', options.password);
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; i < 200 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 10));
  if (!existsSync(path)) throw new Error('redis-server did not start (is it installed? `pnpm run setup` installs it)');

  const command = (...cmd: string[]) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(path);
      let buf = Buffer.alloc(0);
      const all = options.password ? [['AUTH', options.password], cmd] : [cmd];
      socket.write(all.map((a) => `*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('')}`).join(''));
      socket.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        let at = 0;
        for (let i = 0; i < all.length - 1; i++) at = valueEnd(buf, at);
        if (at < 0 || valueEnd(buf, at) < 0) return;
        socket.end();
        resolve(describeReply(buf, at));
      });
      socket.on('error', reject);
    });

  return {
    target: { path },
    command,
    async stop() {
      child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
