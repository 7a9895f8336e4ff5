import { execFile } from 'node:child_process';
import { stringSetting } from '../settings.js';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const MIN_GO = { major: 1, minor: 24 };

export interface GoToolchain {
  /** e.g. `go1.24.4` */
  version: string;
  goroot: string;
  /** Absolute path of the `go` binary. */
  goBinary: string;
}

export class GoMissingError extends Error {}

/** Parses `go1.24.4` / `go1.25rc1` into numbers; null when it is not a release string. */
export function parseGoVersion(v: string): { major: number; minor: number; patch: number } | null {
  const m = /^go(\d+)\.(\d+)(?:\.(\d+))?/.exec(v.trim());
  return m ? { major: +m[1], minor: +m[2], patch: m[3] ? +m[3] : 0 } : null;
}

export function isSupportedGo(v: string): boolean {
  const p = parseGoVersion(v);
  return !!p && (p.major > MIN_GO.major || (p.major === MIN_GO.major && p.minor >= MIN_GO.minor));
}

const installHelp =
  'Install Go 1.24 or newer from https://go.dev/doc/install (for example: download go1.24.x.linux-amd64.tar.gz, ' +
  '`rm -rf /usr/local/go && tar -C /usr/local -xzf go1.24.x.linux-amd64.tar.gz`, then add /usr/local/go/bin to PATH), ' +
  'or point the GO environment variable at a go binary.';

/** Finds the Go toolchain (env GO or `go` on PATH) and checks that it is recent enough. */
export async function findGo(goCommand = stringSetting('GO')!): Promise<GoToolchain> {
  let out: string;
  try {
    ({ stdout: out } = await run(goCommand, ['env', 'GOVERSION', 'GOROOT'], {
      env: { ...process.env, GOTOOLCHAIN: 'local' },
      timeout: 30_000,
    }));
  } catch {
    throw new GoMissingError(`Go was not found ("${goCommand}" did not run). ${installHelp}`);
  }
  const [version, goroot] = out.trim().split('\n');
  if (!isSupportedGo(version)) {
    throw new GoMissingError(
      `Go ${version} is too old: Higress plugins need Go ${MIN_GO.major}.${MIN_GO.minor}+ for native wasip1 builds. ${installHelp}`,
    );
  }
  return { version, goroot, goBinary: `${goroot}/bin/go` };
}
