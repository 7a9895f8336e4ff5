import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { configSchema, type Analysis, type ConfigKey, type Diagnostic, type FileMap, type TextEdit } from '@playground/shared';
import type { GoToolchain } from '../toolchain/go.js';
import type { DataPaths } from '../toolchain/paths.js';
import { parseDiagnostics } from '../compile/diagnostics.js';
import { SandboxUnavailableError, ToolFailedError } from '../compile/errors.js';
import type { BuildQueue } from '../compile/queue.js';
import { runCapped } from '../compile/run-capped.js';
import { sandboxed, type SandboxMode } from '../compile/sandbox.js';
import { writeProject } from '../compile/workspace.js';

/** The analyzer's own output (apps/server/analyzer). */
interface VetReport {
  configKeys: ConfigKey[];
  configErrors: Analysis['configErrors'];
  parseErrors: string[];
  lints: {
    code: string;
    message: string;
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    fix?: { title: string; edits: TextEdit[] };
  }[];
}

export const ANALYZER_NAME = 'playground-vet';

/**
 * Runs playground-vet (a go/ast reader of the plugin's sources, built by setup) in the sandbox:
 * config keys for the YAML editor, and proxy-wasm lints as warnings with quick fixes. It never
 * compiles or runs the user's code. The compiler runs it beside each build for the lints.
 */
export class Vet {
  constructor(
    private readonly go: GoToolchain,
    private readonly paths: DataPaths,
    private readonly sandbox: { mode: SandboxMode; available: boolean; reason?: string },
    /** Short tool jobs, kept apart from compiles but bounded too. */
    private readonly queue: BuildQueue,
  ) {}

  get binary(): string {
    return path.join(this.paths.bin, ANALYZER_NAME);
  }

  get available(): boolean {
    return existsSync(this.binary);
  }

  /** Analyzes sources already written to `dir`. */
  async analyzeDir(dir: string): Promise<Analysis> {
    if (!this.available) throw new ToolFailedError(`${ANALYZER_NAME} is not installed; run \`pnpm run setup\``);
    const cmd = sandboxed(
      // Container builds have no bwrap; the analyzer only parses source, never runs it.
      this.sandbox.mode === 'docker' ? 'none' : this.sandbox.mode,
      { go: this.go, modCache: this.paths.modCache, goCache: this.paths.goCache, workDir: dir },
      [ANALYZER_NAME, '.'],
      { tool: this.binary },
    );
    const caps = { wallTimeMs: 10_000, memoryBytes: 512 * 1024 * 1024, outputBytes: 4 * 1024 * 1024 };
    const run = await runCapped(cmd.file, cmd.args, { cwd: cmd.cwd, env: cmd.env, caps });
    if (run.exitCode !== 0 || run.killedFor) throw new ToolFailedError(`${ANALYZER_NAME} failed: ${run.killedFor ?? run.output.slice(0, 500)}`);
    let report: VetReport;
    try {
      report = JSON.parse(run.output.slice(run.output.indexOf('{'))) as VetReport;
    } catch {
      throw new ToolFailedError(`${ANALYZER_NAME} printed something that is not its report`);
    }
    // Files that do not parse get their syntax errors, so missing keys are not a mystery.
    const syntax = parseDiagnostics(report.parseErrors.join('\n'), report.parseErrors.map((e) => e.split(':')[0]));
    const diagnostics: Diagnostic[] = [...syntax, ...report.lints.map((l) => ({ ...l, severity: 'warning' as const }))];
    return { configKeys: report.configKeys, configErrors: report.configErrors, diagnostics, schema: configSchema(report.configKeys) };
  }

  /** Config keys, schema and lints from reading the sources (no build), in the tools queue. */
  analyze(files: FileMap, client?: string, signal?: AbortSignal): Promise<Analysis> {
    if (!this.sandbox.available) throw new SandboxUnavailableError(this.sandbox.reason ?? 'no sandbox for untrusted code');
    return this.queue.run(
      async () => {
      const dir = await mkdtemp(path.join(this.paths.work, 'vet-'));
      try {
        await writeProject(dir, Object.fromEntries(Object.entries(files).filter(([p]) => p.endsWith('.go'))));
        return await this.analyzeDir(dir);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      },
      { client, signal },
    );
  }
}
