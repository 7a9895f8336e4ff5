import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { inheritedEnv, stringSetting } from '../settings.js';
import { isSupportedGo } from '../toolchain/go.js';
import { buildLimits } from './limits.js';
import { BOX, goEnv, type SandboxCommand, type SandboxMounts, type SandboxOptions } from './sandbox.js';

const run = promisify(execFile);

/** Where the official golang images keep Go. */
const IMAGE_GOROOT = '/usr/local/go';

export const buildImage = () => stringSetting('PLAYGROUND_BUILD_IMAGE')!;

/** The docker CLI needs to know which engine and how to reach it; nothing else of ours leaks to it. */
function cliEnv(): Record<string, string> {
  return inheritedEnv(['PATH', 'HOME', 'DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH']);
}

/**
 * `docker run` of a Go command in the build image, isolated like the bwrap sandbox: no network, a
 * read-only root and module cache, the shared build cache and the build's folder as the only
 * writable mounts, no capabilities, and the build caps. The dependency step's options (network, a
 * writable module cache, proxy settings) are honoured as bwrap honours them. The wall-time cap is enforced inside the
 * container too, because killing the docker CLI (what runCapped does) does not stop the container.
 */
export function containerCommand(m: SandboxMounts, argv: string[], opts: SandboxOptions = {}, image = buildImage()): SandboxCommand {
  const limits = buildLimits();
  const env = { ...goEnv({ goroot: IMAGE_GOROOT, modCache: BOX.modCache, goCache: BOX.goCache, home: '/tmp' }), ...opts.env };
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const args = [
    'run', '--rm', '-i', '--pull', 'never',
    '--name', `playground-build-${randomBytes(6).toString('hex')}`,
    '--label', 'playground.role=build',
    // Only the dependency step may reach the module proxy; compiles have no network.
    '--network', opts.network ? 'bridge' : 'none',
    // Files written to the caches and the build folder belong to the server's user, as with bwrap.
    '--user', `${uid}:${gid}`,
    '--read-only',
    '--tmpfs', '/tmp:rw,exec,size=512m',
    '--memory', String(limits.memoryBytes),
    '--memory-swap', String(limits.memoryBytes),
    '--pids-limit', '1024',
    '--cap-drop', 'ALL',
    '--security-opt', 'no-new-privileges',
    '-v', `${m.modCache}:${BOX.modCache}${opts.writableModCache ? '' : ':ro'}`,
    '-v', `${m.goCache}:${BOX.goCache}`,
    '-v', `${m.workDir}:${BOX.src}`,
    '-w', BOX.src,
    ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    image,
    'timeout', '-s', 'KILL', String(Math.ceil(limits.wallTimeMs / 1000)),
    `${IMAGE_GOROOT}/bin/${argv[0]}`,
    ...argv.slice(1),
  ];
  return { file: 'docker', args, env: cliEnv(), cwd: m.workDir, scrub: [[BOX.src, '.'], [IMAGE_GOROOT, '$GOROOT']] };
}

/**
 * Container builds are available when the engine runs the build image and its Go is new enough.
 * The image's Go version is returned: it, not the server's Go, decides what a build produces.
 */
export async function detectContainerSandbox(
  mounts: SandboxMounts,
): Promise<{ mode: 'docker'; available: boolean; reason?: string; goVersion?: string }> {
  const image = buildImage();
  const cmd = containerCommand(mounts, ['go', 'env', 'GOVERSION'], {}, image);
  try {
    const { stdout } = await run(cmd.file, cmd.args, { cwd: cmd.cwd, env: cmd.env, timeout: 30_000 });
    const goVersion = stdout.trim();
    if (!isSupportedGo(goVersion)) {
      return { mode: 'docker', available: false, reason: `the build image ${image} has Go ${goVersion}; plugins need Go 1.24 or newer (set PLAYGROUND_BUILD_IMAGE)` };
    }
    return { mode: 'docker', available: true, goVersion };
  } catch (err) {
    const first = ((err as { stderr?: string }).stderr || (err as Error).message).trim().split('\n')[0];
    return {
      mode: 'docker',
      available: false,
      reason: `container builds (PLAYGROUND_BUILD_RUNTIME=docker) cannot run ${image}: ${first}; start a Docker engine (DOCKER_HOST) and \`docker pull ${image}\``,
    };
  }
}
