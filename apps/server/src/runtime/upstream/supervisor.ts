import type { ChildProcess } from 'node:child_process';
import { spawnChild } from '../../util/children.js';
import { createInterface } from 'node:readline';
import { log } from '../../util/log.js';
import { freePort } from './free-port.js';

export interface ChildSpec {
  /** Names the child in log events (`<name>.ready`, `<name>.exited`, …) and errors. */
  name: string;
  /** The program and its arguments, to listen on 127.0.0.1:`port`. Throws when it cannot run (not installed, not built). */
  command(port: number): { command: string; args: string[] };
  /** A GET path that answers 2xx once the child serves. */
  healthPath: string;
  /** Restart delay: `baseMs` doubled per restart in a row, at most `maxMs`. */
  backoff?: { baseMs: number; maxMs: number };
}

const HEALTH_TIMEOUT_MS = 10_000;

/**
 * Runs a local server as a child process on a loopback port and keeps it running: it is
 * health-checked on start, restarted when it dies, and stopped with the server. The child gets
 * only PATH in its environment; its stderr lines go to our log.
 */
export class ChildSupervisor {
  private child: ChildProcess | null = null;
  private port = 0;
  private stopping = false;
  private restarts = 0;
  private readyPromise: Promise<void> | null = null;

  constructor(private readonly spec: ChildSpec) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null;
  }

  /** The process id, for tests that kill it on purpose. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the child if it is not running and waits until it answers. */
  ready(): Promise<void> {
    if (this.running && this.readyPromise) return this.readyPromise;
    this.readyPromise = this.launch().catch((err) => {
      this.readyPromise = null;
      throw err;
    });
    return this.readyPromise;
  }

  private async launch(): Promise<void> {
    const { name } = this.spec;
    if (!this.port) this.port = await freePort();
    const { command, args } = this.spec.command(this.port);
    const child = spawnChild(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: '/usr/bin:/bin' },
    });
    this.child = child;
    createInterface({ input: child.stderr! }).on('line', (line) =>
      log.warn(`${name}.stderr`, { pid: child.pid, line }),
    );
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.stopping) return;
      log.warn(`${name}.exited`, { code, signal, restarts: this.restarts });
      // Come back on our own; a backoff keeps a crash loop from spinning.
      const { baseMs, maxMs } = this.spec.backoff ?? { baseMs: 100, maxMs: 5000 };
      const delay = Math.min(maxMs, baseMs * 2 ** Math.min(this.restarts++, 16));
      setTimeout(() => {
        if (!this.stopping && !this.running)
          this.ready().catch((err) => log.error(`${name}.restart-failed`, { message: err.message }));
      }, delay).unref();
    });
    await this.waitHealthy(child);
    this.restarts = 0;
    log.info(`${name}.ready`, { url: this.baseUrl, pid: child.pid });
  }

  private async waitHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `${this.spec.name} exited at start (${child.exitCode !== null ? `code ${child.exitCode}` : child.signalCode})`,
        );
      }
      try {
        const res = await fetch(this.baseUrl + this.spec.healthPath);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${this.spec.name} did not answer within ${HEALTH_TIMEOUT_MS / 1000} s`);
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
