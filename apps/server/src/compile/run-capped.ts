import { spawn } from 'node:child_process';
import { ProcessTable } from '../util/process-table.js';

export interface CappedResult {
  exitCode: number | null;
  output: string;
  /** Set when a cap stopped the process. */
  killedFor?: 'time' | 'memory' | 'output' | 'aborted';
  durationMs: number;
}

export interface Caps {
  wallTimeMs: number;
  memoryBytes: number;
  outputBytes: number;
}

/**
 * Runs a command with caps on wall time, memory (resident, whole process tree) and output size.
 * The process runs in its own process group so a cap kills everything it started.
 */
export function runCapped(
  file: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string>; caps: Caps; input?: string; dropStdout?: boolean; signal?: AbortSignal },
): Promise<CappedResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let killedFor: CappedResult['killedFor'];
    const kill = (why: NonNullable<CappedResult['killedFor']>) => {
      if (killedFor) return;
      killedFor = why;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const onData = (b: Buffer) => {
      size += b.length;
      if (size > opts.caps.outputBytes) return kill('output');
      chunks.push(b);
    };
    if (opts.dropStdout) child.stdout.resume();
    else child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
    const timer = setTimeout(() => kill('time'), opts.caps.wallTimeMs);
    opts.signal?.addEventListener('abort', () => kill('aborted'));
    const memTimer = setInterval(async () => {
      if (child.pid && (await ProcessTable.read()).treeRss(child.pid) > opts.caps.memoryBytes) kill('memory');
    }, 250);
    const finish = (exitCode: number | null) => {
      clearTimeout(timer);
      clearInterval(memTimer);
      resolve({
        exitCode,
        output: Buffer.concat(chunks).toString('utf8'),
        killedFor,
        durationMs: performance.now() - started,
      });
    };
    child.on('error', () => finish(null));
    child.on('close', (code) => finish(code));
  });
}
