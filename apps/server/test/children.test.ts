// The server's child processes (httpbin, the LLM stand-in, Redis services) die with it, even on a
// kill -9 (src/util/children.ts), and a server finds and ends what a crashed one left behind.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPaths, repoRoot } from '../src/toolchain/paths.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('child processes', () => {
  it('go with the server when it is killed with SIGKILL', async () => {
    const server = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', path.join(repoRoot, 'apps/server/dist/index.js')], {
      env: { ...process.env, PORT: '0', PLAYGROUND_QUIET: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', (d: Buffer) => d.toString().includes('Playground ready') && resolve());
      server.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
    });
    const record = path.join(dataPaths().dataDir, 'run', `children-${server.pid}.json`);
    expect(existsSync(record)).toBe(true);
    const children = (JSON.parse(readFileSync(record, 'utf8')) as { pid: number; program: string }[]).map((c) => c.pid);
    expect(children.length).toBeGreaterThan(0);
    expect(children.every(alive)).toBe(true);
    server.kill('SIGKILL');
    for (let i = 0; i < 50 && children.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(children.filter(alive)).toEqual([]);
  });
});
