import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { SandboxUnavailableError } from '../compile/errors.js';
import { capMessage, type BuildLimits } from '../compile/limits.js';
import type { BuildQueue } from '../compile/queue.js';
import { runCapped } from '../compile/run-capped.js';
import { sandboxed, type SandboxMode } from '../compile/sandbox.js';
import type { GoToolchain } from '../toolchain/go.js';
import type { DataPaths } from '../toolchain/paths.js';

export type FormatResult = { source: string } | { error: string; line: number; column: number };

/** gofmt for one source, in the sandbox with small caps; a syntax error comes back with its position. */
export class Formatter {
  constructor(
    private readonly go: GoToolchain,
    private readonly paths: DataPaths,
    private readonly sandbox: { mode: SandboxMode; available: boolean; reason?: string },
    private readonly limits: BuildLimits,
    /** Short tool jobs, kept apart from compiles but bounded too. */
    private readonly queue: BuildQueue,
  ) {}

  format(source: string, client?: string): Promise<FormatResult> {
    if (!this.sandbox.available) throw new SandboxUnavailableError(this.sandbox.reason ?? 'no sandbox for untrusted code');
    return this.queue.run(() => this.gofmt(source), { client });
  }

  private async gofmt(source: string): Promise<FormatResult> {
    const workDir = await mkdtemp(path.join(this.paths.work, 'fmt-'));
    try {
      const cmd = sandboxed(this.sandbox.mode, { go: this.go, modCache: this.paths.modCache, goCache: this.paths.goCache, workDir }, ['gofmt']);
      const caps = { wallTimeMs: 10_000, memoryBytes: 512 * 1024 * 1024, outputBytes: 4 * this.limits.maxTotalBytes };
      const run = await runCapped(cmd.file, cmd.args, { cwd: cmd.cwd, env: cmd.env, caps, input: source });
      if (run.exitCode === 0 && !run.killedFor) return { source: run.output };
      if (run.killedFor) return { error: capMessage(run.killedFor, this.limits), line: 0, column: 0 };
      const m = /^<standard input>:(\d+):(\d+): (.*)$/m.exec(run.output);
      return m ? { error: m[3], line: +m[1], column: +m[2] } : { error: run.output.trim(), line: 0, column: 0 };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
}
