import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { log } from '../../util/log.js';
import { freePort } from './free-port.js';

/**
 * Runs go-httpbin (installed by setup) on loopback and keeps it running: it is health-checked on
 * start, restarted when it dies, and stopped with the server.
 */
export class HttpbinSupervisor {
  private child: ChildProcess | null = null;
  private port = 0;
  private stopping = false;
  private restarts = 0;
  private readyPromise: Promise<void> | null = null;

  constructor(private readonly binDir: string) {}

  get binary(): string {
    return path.join(this.binDir, 'go-httpbin');
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null;
  }

  /** Starts httpbin if it is not running and waits until it answers. */
  ready(): Promise<void> {
    if (this.running && this.readyPromise) return this.readyPromise;
    this.readyPromise = this.launch().catch((err) => {
      this.readyPromise = null;
      throw err;
    });
    return this.readyPromise;
  }

  /** The process id, for tests that kill it on purpose. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private async launch(): Promise<void> {
    if (!existsSync(this.binary)) throw new Error(`go-httpbin is not installed at ${this.binary}; run \`pnpm run setup\``);
    if (!this.port) this.port = await freePort();
    const child = spawn(this.binary, ['-host', '127.0.0.1', '-port', String(this.port), '-log-level', 'OFF'], {
      stdio: 'ignore',
      env: { PATH: '/usr/bin:/bin' },
    });
    this.child = child;
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.stopping) return;
      log.warn('httpbin.exited', { code, signal, restarts: this.restarts });
      // Come back on our own; a backoff keeps a crash loop from spinning.
      const delay = Math.min(5000, 100 * 2 ** Math.min(this.restarts++, 6));
      setTimeout(() => {
        if (!this.stopping && !this.running) this.ready().catch((err) => log.error('httpbin.restart-failed', { message: err.message }));
      }, delay).unref();
    });
    await this.waitHealthy(child);
    this.restarts = 0;
    log.info('httpbin.ready', { url: this.baseUrl, pid: child.pid });
  }

  private async waitHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`go-httpbin exited at start (code ${child.exitCode})`);
      try {
        const res = await fetch(`${this.baseUrl}/status/200`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('go-httpbin did not answer within 10 s');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    });
  }
}
