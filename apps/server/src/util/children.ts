// Child processes that never outlive the server: each is started with PR_SET_PDEATHSIG (through
// util-linux's setpriv, which then execs the program), so a kill -9 of the server takes them along,
// and each is recorded under the data folder, so a server starting after a crash of one without
// setpriv ends what it left behind.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { log } from './log.js';
import { processAlive } from './process.js';

const SETPRIV = '/usr/bin/setpriv';
let registry: { file: string; children: Map<number, string> } | undefined;

/** Where this server records its children (call once at start, with the data folder). */
export function recordChildrenIn(dataDir: string): void {
  if (registry) return; // several servers in one process (tests) share one record
  const dir = path.join(dataDir, 'run');
  mkdirSync(dir, { recursive: true });
  sweepLeftovers(dir);
  registry = { file: path.join(dir, `children-${process.pid}.json`), children: new Map() };
}

function save(): void {
  if (!registry) return;
  try {
    writeFileSync(registry.file, JSON.stringify([...registry.children].map(([pid, program]) => ({ pid, program }))));
  } catch (e) {
    // The data folder went away under a stopping server (a test's temporary one): nothing to record.
    log.warn('children.record-failed', { message: (e as Error).message });
  }
}

/** Spawns `command` tied to this server's life. */
export function spawnChild(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = existsSync(SETPRIV) ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args], options) : spawn(command, args, options);
  if (registry && child.pid) {
    registry.children.set(child.pid, path.basename(command));
    save();
    child.once('exit', () => {
      registry?.children.delete(child.pid!);
      save();
    });
  }
  return child;
}

/** Ends the children recorded by servers that are gone (only processes still running that program). */
function sweepLeftovers(dir: string): void {
  for (const name of readdirSync(dir)) {
    const owner = Number(/^children-(\d+)\.json$/.exec(name)?.[1]);
    if (!owner || processAlive(owner)) continue;
    const file = path.join(dir, name);
    let listed: { pid: number; program: string }[] = [];
    try {
      listed = JSON.parse(readFileSync(file, 'utf8')) as typeof listed;
    } catch {
      /* a half-written record: nothing to trust in it */
    }
    for (const { pid, program } of listed) {
      const cmdline = (() => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          return '';
        }
      })();
      if (!cmdline.includes(program)) continue;
      try {
        process.kill(pid, 'SIGKILL');
        log.warn('children.swept', { pid, program, server: owner });
      } catch {
        /* already gone */
      }
    }
    rmSync(file, { force: true });
  }
}
