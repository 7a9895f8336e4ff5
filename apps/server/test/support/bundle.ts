import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { dataPaths } from '../../src/toolchain/paths.js';

export const run = promisify(execFile);

/**
 * POSTs a scenario to /api/export and unpacks the bundle into a fresh folder (pushed on `dirs` for
 * cleanup). Returns the plugin folder, or throws with the server's answer when it is not a 200.
 */
export async function exportScenario(url: string, scenario: unknown, dirs: string[]): Promise<string> {
  const res = await fetch(`${url}/api/export`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(scenario),
  });
  if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bundle-'));
  dirs.push(dir);
  for (const [entry, bytes] of Object.entries(unzipSync(new Uint8Array(await res.arrayBuffer())))) {
    const target = path.join(dir, entry);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }
  return path.join(dir, 'plugin');
}

/** `go test` in a bundle, offline, with the playground's module cache (as a user's machine with those modules). */
export async function goTestIn(dir: string, args: string[] = []): Promise<{ ok: boolean; output: string }> {
  const p = dataPaths();
  const env = {
    ...process.env,
    GOFLAGS: '-mod=mod',
    GOPROXY: 'off',
    GOMODCACHE: p.modCache,
    GOCACHE: p.goCache,
    GOTOOLCHAIN: 'local',
    GOWORK: 'off',
  };
  try {
    const { stdout, stderr } = await run('go', ['test', ...args, './...'], {
      cwd: dir,
      env,
      timeout: 300_000,
      maxBuffer: 16 << 20,
    });
    return { ok: true, output: stdout + stderr };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}` };
  }
}
