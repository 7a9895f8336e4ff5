// A session's Redis service: its own redis-server (Debian's, installed by setup), so sessions never
// see each other's keys, memory or scripts. It listens on a Unix socket in a private folder only
// (no TCP port), keeps nothing on disk, caps its data (maxmemory, noeviction: writes beyond answer
// OOM as Redis does), and runs in bubblewrap when it works (no network, read-only system).
// Plugins connect as the `default` user, which cannot run administrative commands (CONFIG,
// REPLICAOF, SHUTDOWN, ACL, ...); the playground itself uses an admin user with a random password.
// A watchdog ends a script that keeps Redis busy (SCRIPT KILL, else a restart) and restarts the
// server if it dies; the folder and the data go with the session.
import type { RedisKey, RedisKeysView } from '@playground/shared';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemMounts } from '../../compile/sandbox.js';
import { spawnChild } from '../../util/children.js';
import { log } from '../../util/log.js';
import { RedisClient } from './redis-client.js';

const REDIS_SERVER = '/usr/bin/redis-server';
const ADMIN = 'playground-admin';
/** Redis answers BUSY to everyone else once a script has run this long. */
const BUSY_AFTER_MS = 1000;
const WATCH_EVERY_MS = 1000;
const KEYS_SHOWN = 100;

export interface RedisServerOptions {
  /** For log lines. */
  sessionId: string;
  service: string;
  memoryMiB: number;
  /** The `default` user requires this password (as `requirepass` would). */
  password?: string;
}

/** Whether bubblewrap can run redis-server here (checked once). */
let bwrapWorks: Promise<boolean> | undefined;
function canSandbox(): Promise<boolean> {
  bwrapWorks ??= new Promise((resolve) => {
    const p = spawn('bwrap', ['--unshare-all', '--die-with-parent', ...systemMounts(), '--', REDIS_SERVER, '--version'], { stdio: 'ignore' });
    p.on('error', () => resolve(false));
    p.on('exit', (code) => resolve(code === 0));
  });
  return bwrapWorks;
}

export class RedisServer {
  readonly socketPath: string;
  private readonly dir: string;
  private readonly adminPassword = randomBytes(18).toString('base64url');
  private child: ChildProcess | undefined;
  private admin: RedisClient | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private stopping = false;
  private restarts = 0;
  private restarting: Promise<void> | undefined;

  private constructor(private readonly opts: RedisServerOptions) {
    // Short: a Unix socket path must fit in 108 bytes.
    this.dir = mkdtempSync(path.join(tmpdir(), 'pg-redis-'));
    this.socketPath = path.join(this.dir, 'redis.sock');
  }

  static available(): boolean {
    return existsSync(REDIS_SERVER);
  }

  static async start(opts: RedisServerOptions): Promise<RedisServer> {
    if (!RedisServer.available()) throw new Error(`redis-server is not installed (${REDIS_SERVER}); run \`pnpm run setup\``);
    const server = new RedisServer(opts);
    try {
      await server.launch();
    } catch (e) {
      await server.stop();
      throw e;
    }
    server.watchdog = setInterval(() => void server.watch(), WATCH_EVERY_MS).unref();
    return server;
  }

  private args(): string[] {
    const user = this.opts.password ? `>${this.opts.password}` : 'nopass';
    return [
      '--port', '0',
      '--unixsocket', this.socketPath,
      '--unixsocketperm', '700',
      '--dir', this.dir,
      '--save', '',
      '--appendonly', 'no',
      '--maxmemory', `${this.opts.memoryMiB}mb`,
      '--maxmemory-policy', 'noeviction',
      '--busy-reply-threshold', String(BUSY_AFTER_MS),
      '--enable-debug-command', 'no',
      '--enable-module-command', 'no',
      '--loglevel', 'warning',
      '--logfile', '',
      '--user', 'default', 'on', user, '~*', '&*', '+@all', '-@admin',
      '--user', ADMIN, 'on', `>${this.adminPassword}`, '~*', '&*', '+@all',
    ];
  }

  private async launch(): Promise<void> {
    const sandbox = await canSandbox();
    const argv = sandbox
      ? ['bwrap', '--unshare-all', '--die-with-parent', '--new-session', ...systemMounts(), '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--bind', this.dir, this.dir, '--', REDIS_SERVER, ...this.args()]
      : [REDIS_SERVER, ...this.args()];
    rmSync(this.socketPath, { force: true });
    const child = spawnChild(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: '/usr/bin:/bin' } });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-2000)));
    child.on('exit', (code, signal) => {
      if (this.child !== child || this.stopping) return;
      log.warn('redis.exited', { sessionId: this.opts.sessionId, service: this.opts.service, code, signal, stderr: stderr.trim().split('\n').pop() });
      void this.restart();
    });
    const deadline = Date.now() + 5000;
    while (!existsSync(this.socketPath)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start: ${stderr.trim().split('\n').pop() ?? 'no socket within 5 s'}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    // The socket file appears at bind(), before listen() (redis' anetListen): a connection refused
    // in between is tried again, until the same deadline.
    for (;;) {
      const admin = new RedisClient(this.socketPath);
      try {
        const auth = await admin.command(['AUTH', ADMIN, this.adminPassword]);
        if (auth instanceof Error) throw new Error(`redis-server refused the playground's admin user: ${auth.message}`);
        this.admin = admin;
        break;
      } catch (e) {
        admin.close();
        const refused = (e as NodeJS.ErrnoException).code === 'ECONNREFUSED';
        if (!refused || child.exitCode !== null || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    log.info('redis.ready', { sessionId: this.opts.sessionId, service: this.opts.service, pid: child.pid, sandbox });
  }

  /** Comes back after a crash or a kill, empty (it keeps nothing on disk), with a backoff. */
  private restart(): Promise<void> {
    this.restarting ??= (async () => {
      this.admin?.close();
      this.child?.kill('SIGKILL');
      const delay = Math.min(5000, 100 * 2 ** Math.min(this.restarts++, 6));
      await new Promise((r) => setTimeout(r, delay));
      if (this.stopping) return;
      try {
        await this.launch();
      } catch (e) {
        log.error('redis.restart-failed', { sessionId: this.opts.sessionId, service: this.opts.service, message: (e as Error).message });
      }
    })().finally(() => (this.restarting = undefined));
    return this.restarting;
  }

  /** A script that keeps Redis busy is killed (SCRIPT KILL); one that already wrote cannot be, so Redis restarts. */
  private async watch(): Promise<void> {
    if (this.stopping || this.restarting || !this.admin) return;
    try {
      const pong = await this.admin.command(['PING'], BUSY_AFTER_MS * 2);
      if (!(pong instanceof Error) || !/^BUSY/.test(pong.message)) return;
      let killed = await this.admin.command(['SCRIPT', 'KILL']);
      if (killed instanceof Error && /NOTBUSY/.test(killed.message)) killed = await this.admin.command(['FUNCTION', 'KILL']);
      log.warn('redis.busy-script', { sessionId: this.opts.sessionId, service: this.opts.service, killed: !(killed instanceof Error), reply: killed instanceof Error ? killed.message : killed });
      if (killed instanceof Error) await this.restart();
    } catch (e) {
      log.warn('redis.unresponsive', { sessionId: this.opts.sessionId, service: this.opts.service, message: (e as Error).message });
      await this.restart();
    }
  }

  /** The keys of every database that has some (at most KEYS_SHOWN per database), with TTLs and shortened values. */
  async keys(): Promise<RedisKeysView['services'][number]> {
    const view: RedisKeysView['services'][number] = { name: this.opts.service, databases: [] };
    const c = new RedisClient(this.socketPath);
    try {
      await c.command(['AUTH', ADMIN, this.adminPassword]);
      const info = await c.command(['INFO', 'keyspace']);
      const dbs = typeof info === 'string' ? [...info.matchAll(/^db(\d+):keys=(\d+)/gm)].map((m) => ({ db: Number(m[1]), size: Number(m[2]) })) : [];
      for (const { db, size } of dbs) {
        await c.command(['SELECT', String(db)]);
        const names: string[] = [];
        let cursor = '0';
        do {
          const r = (await c.command(['SCAN', cursor, 'COUNT', '200'])) as [string, string[]];
          cursor = r[0];
          names.push(...r[1]);
        } while (cursor !== '0' && names.length < KEYS_SHOWN);
        const keys: RedisKey[] = [];
        for (const key of names.sort().slice(0, KEYS_SHOWN)) keys.push(await describeKey(c, key));
        view.databases.push({ db, size, keys, truncated: size > keys.length });
      }
    } catch (e) {
      view.error = `the keys could not be read: ${(e as Error).message}`;
    } finally {
      c.close();
    }
    return view;
  }

  /** Deletes every key (FLUSHALL). */
  async flush(): Promise<void> {
    const r = await this.admin?.command(['FLUSHALL']);
    if (!this.admin || r instanceof Error) throw new Error(`could not flush Redis: ${r instanceof Error ? r.message : 'it is restarting'}`);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.watchdog);
    this.admin?.close();
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** For tests that kill it on purpose. */
  get pid(): number | undefined {
    return this.child?.pid;
  }
}

const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s);

async function describeKey(c: RedisClient, key: string): Promise<RedisKey> {
  const type = String(await c.command(['TYPE', key]));
  const pttl = Number(await c.command(['PTTL', key]));
  let value: unknown;
  switch (type) {
    case 'string':
      value = await c.command(['GET', key]);
      break;
    case 'list':
      value = await c.command(['LRANGE', key, '0', '9']);
      break;
    case 'set':
      value = ((await c.command(['SSCAN', key, '0', 'COUNT', '10'])) as [string, string[]])[1];
      break;
    case 'zset':
      value = await c.command(['ZRANGE', key, '0', '9', 'WITHSCORES']);
      break;
    case 'hash':
      value = ((await c.command(['HSCAN', key, '0', 'COUNT', '10'])) as [string, string[]])[1];
      break;
    default:
      value = `(${type})`;
  }
  return { key, type, ttlMs: pttl >= 0 ? pttl : null, value: clip(text(value)) };
}
