import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { flagSetting, stringSetting } from '../settings.js';
import type { GoToolchain } from '../toolchain/go.js';
import { containerCommand, detectContainerSandbox } from './container-sandbox.js';

const run = promisify(execFile);

/** Where things appear inside the sandbox: neutral paths, so no server path can leak into output. */
export const BOX = { goroot: '/goroot', modCache: '/gomodcache', goCache: '/gocache', src: '/src' } as const;

export type SandboxMode = 'bwrap' | 'docker' | 'none';

export interface SandboxMounts {
  go: GoToolchain;
  modCache: string;
  goCache: string;
  /** The build's private writable folder. */
  workDir: string;
}

export interface SandboxCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Host path -> name shown to users, for scrubbing output in unsandboxed mode. */
  scrub: [string, string][];
}

/** The environment every build gets: offline, local toolchain, no cgo, wasip1 target. */
export function goEnv(paths: { goroot: string; modCache: string; goCache: string; home: string }): Record<string, string> {
  return {
    PATH: `${paths.goroot}/bin:/usr/bin:/bin`,
    HOME: paths.home,
    GOROOT: paths.goroot,
    GOMODCACHE: paths.modCache,
    GOCACHE: paths.goCache,
    GOPROXY: 'off',
    GOSUMDB: 'off',
    GOFLAGS: '-mod=mod',
    GOTOOLCHAIN: 'local',
    GOTELEMETRY: 'off',
    GOWORK: 'off',
    CGO_ENABLED: '0',
    GOOS: 'wasip1',
    GOARCH: 'wasm',
  };
}

/** System folders the toolchain's dynamic bits may need; merged-/usr symlinks are recreated as links. */
export function systemMounts(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const dir of ['/bin', '/lib', '/lib64', '/sbin']) {
    if (!existsSync(dir)) continue;
    const st = lstatSync(dir);
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else args.push('--ro-bind', dir, dir);
  }
  return args;
}

/** For the dependency step only; compiles never get a writable module cache or network. */
export interface SandboxOptions {
  /** Overrides of the Go environment (GOPROXY, GOSUMDB, ...). */
  env?: Record<string, string>;
  writableModCache?: boolean;
  network?: boolean;
  /** Runs this host binary (mounted read-only at /tools) as argv[0] instead of a Go toolchain command. */
  tool?: string;
}

/** Files a networked Go command needs to resolve names and check TLS certificates. */
const NETWORK_FILES = ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/ssl', '/etc/ca-certificates'];

/**
 * Wraps a command so that it runs with no network, no view of the host but read-only system folders,
 * a read-only toolchain and module cache, the shared build cache, and a private workspace and /tmp.
 */
export function sandboxed(mode: SandboxMode, m: SandboxMounts, argv: string[], opts: SandboxOptions = {}): SandboxCommand {
  if (mode === 'docker') return containerCommand(m, argv, opts);
  if (mode === 'none') {
    const env = { ...goEnv({ goroot: m.go.goroot, modCache: m.modCache, goCache: m.goCache, home: m.workDir }), ...opts.env };
    return {
      file: opts.tool ?? m.go.goroot + '/bin/' + argv[0],
      args: argv.slice(1),
      env,
      cwd: m.workDir,
      scrub: [
        [m.workDir, '.'],
        [m.modCache, '$GOMODCACHE'],
        [m.goCache, '$GOCACHE'],
        [m.go.goroot, '$GOROOT'],
      ],
    };
  }
  const env = { ...goEnv({ goroot: BOX.goroot, modCache: BOX.modCache, goCache: BOX.goCache, home: '/tmp' }), ...opts.env };
  const network = opts.network
    ? ['--share-net', ...NETWORK_FILES.filter((f) => existsSync(f)).flatMap((f) => ['--ro-bind', f, f])]
    : [];
  const args = [
    '--unshare-all',
    ...network,
    '--die-with-parent',
    '--new-session',
    ...systemMounts(),
    '--ro-bind', m.go.goroot, BOX.goroot,
    opts.writableModCache ? '--bind' : '--ro-bind', m.modCache, BOX.modCache,
    '--bind', m.goCache, BOX.goCache,
    '--bind', m.workDir, BOX.src,
    ...(opts.tool ? ['--ro-bind', opts.tool, `/tools/${argv[0]}`] : []),
    '--tmpfs', '/tmp',
    '--proc', '/proc',
    '--dev', '/dev',
    '--chdir', BOX.src,
    '--clearenv',
    ...Object.entries(env).flatMap(([k, v]) => ['--setenv', k, v]),
    '--',
    opts.tool ? `/tools/${argv[0]}` : `${BOX.goroot}/bin/${argv[0]}`,
    ...argv.slice(1),
  ];
  return { file: 'bwrap', args, env: {}, cwd: m.workDir, scrub: [[BOX.src, '.']] };
}

/**
 * Decides how builds are isolated: a container when PLAYGROUND_BUILD_RUNTIME=docker. bwrap must actually start a sandboxed `go version`;
 * without it, untrusted code is only built when PLAYGROUND_ALLOW_UNSANDBOXED=1.
 */
export async function detectSandbox(
  mounts: SandboxMounts,
): Promise<{ mode: SandboxMode; available: boolean; reason?: string; goVersion?: string }> {
  if (stringSetting('PLAYGROUND_BUILD_RUNTIME') === 'docker') return detectContainerSandbox(mounts);
  const cmd = sandboxed('bwrap', mounts, ['go', 'version']);
  try {
    await run(cmd.file, cmd.args, { cwd: cmd.cwd, timeout: 20_000 });
    return { mode: 'bwrap', available: true };
  } catch (err) {
    const reason = `bubblewrap sandbox unavailable (${(err as Error).message.split('\n')[0]}); install the "bubblewrap" package`;
    if (flagSetting('PLAYGROUND_ALLOW_UNSANDBOXED')) return { mode: 'none', available: true, reason };
    return { mode: 'none', available: false, reason: `${reason}, or set PLAYGROUND_ALLOW_UNSANDBOXED=1 to build untrusted code without one` };
  }
}
