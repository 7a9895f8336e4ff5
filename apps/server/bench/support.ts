import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { templateDir } from '../src/toolchain/paths.js';

const run = promisify(execFile);

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

/**
 * The baseline: a plain `go build` of the same source in a temp module, no server and no sandbox,
 * with the same flags, as a plugin author would run it by hand.
 */
export async function rawGoBuild(source: string, env: { modCache: string; goCache: string }): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'raw-build-'));
  try {
    await copyFile(path.join(templateDir, 'go.mod'), path.join(dir, 'go.mod'));
    await copyFile(path.join(templateDir, 'go.sum'), path.join(dir, 'go.sum'));
    await writeFile(path.join(dir, 'main.go'), source);
    const started = performance.now();
    await run('go', ['build', '-buildmode=c-shared', '-trimpath', '-o', 'main.wasm', '.'], {
      cwd: dir,
      env: {
        ...process.env,
        GOOS: 'wasip1', GOARCH: 'wasm', CGO_ENABLED: '0', GOPROXY: 'off', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local',
        GOMODCACHE: env.modCache, GOCACHE: env.goCache,
      },
    });
    return performance.now() - started;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
