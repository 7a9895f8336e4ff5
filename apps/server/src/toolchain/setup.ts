/**
 * One-time, idempotent machine setup, run by `pnpm start` and `pnpm test` (and `pnpm run setup`).
 * Each step checks whether it is already done, shows progress, and says what to do when it fails.
 *   1. Go >= 1.24 on PATH            5. go-httpbin in the playground's bin folder
 *   2. bubblewrap for the sandbox   6. playground-vet (the source analyzer) in the same folder
 *   3. redis-server (Redis services) 7. a warm Go build cache (one example built)
 *   4. the template's Go modules    8. gopls for Go intelligence in the editor (optional)
 *                                   9. (--for-tests) Chromium and nginx for the tests
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { flagSetting } from '../settings.js';
import { findGo, GoMissingError, parseGoVersion, type GoToolchain } from './go.js';
import { GOPLS_MODULE, GOPLS_VERSION } from '../lsp/version.js';
import { dataPaths, examplesDir, repoRoot, templateDir } from './paths.js';

const run = promisify(execFile);
const paths = dataPaths();
export const HTTPBIN_MODULE = 'github.com/mccutchen/go-httpbin/v2/cmd/go-httpbin';
export const HTTPBIN_VERSION = 'v2.26.0';
/** Module sets beyond the template that real plugins use most; fetched so they resolve offline later. */
const PREFETCH_DIR = path.join(templateDir, 'prefetch');

type State = Record<string, string>;

async function readState(): Promise<State> {
  return JSON.parse(await readFile(paths.setupState, 'utf8').catch(() => '{}')) as State;
}

async function step(n: number, total: number, title: string, fn: () => Promise<string | void>): Promise<void> {
  const started = Date.now();
  process.stdout.write(`[setup] ${n}/${total} ${title} ... `);
  try {
    const note = await fn();
    console.log(`${note ?? 'done'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (err) {
    console.log('FAILED');
    console.error(`\n[setup] ${title} failed:\n${(err as Error).message}\n`);
    process.exit(1);
  }
}

/** Streams a long command's output with a prefix so the user sees it is moving. */
function runLoud(file: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (b: Buffer) => {
      tail = (tail + b.toString()).slice(-4000);
      for (const line of b.toString().split('\n')) if (line.trim()) process.stdout.write(`\n        ${line.trim()}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        process.stdout.write('\n        ');
        resolve();
      } else reject(new Error(`${file} ${args.join(' ')} exited with ${code}\n${tail}`));
    });
  });
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function aptInstall(pkg: string, why: string): Promise<string> {
  if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`${why} needs the Debian/Ubuntu package "${pkg}": run \`sudo apt-get install -y ${pkg}\` and try again.`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runLoud('apt-get', ['update', '-qq'], env);
  await runLoud('apt-get', ['install', '-y', '-qq', pkg], env);
  return `installed ${pkg}`;
}

async function main(): Promise<void> {
  const forTests = process.argv.includes('--for-tests');
  const total = forTests ? 9 : 8;
  await mkdir(paths.dataDir, { recursive: true });
  const state = await readState();
  const save = () => writeFile(paths.setupState, JSON.stringify(state, null, 2));
  let go!: GoToolchain;

  await step(1, total, 'Go toolchain (1.24 or newer)', async () => {
    try {
      go = await findGo();
    } catch (err) {
      if (err instanceof GoMissingError) throw new Error(err.message);
      throw err;
    }
    return go.version;
  });

  await step(2, total, 'bubblewrap build sandbox', async () => {
    const found = await run('bwrap', ['--version']).then(
      (r) => r.stdout.trim(),
      () => null,
    );
    if (found) return found;
    if (flagSetting('PLAYGROUND_ALLOW_UNSANDBOXED')) return 'missing; unsandboxed builds allowed by PLAYGROUND_ALLOW_UNSANDBOXED=1';
    return aptInstall('bubblewrap', 'The build sandbox');
  });

  await step(3, total, 'redis-server (the Redis services plugins can call)', async () => {
    if (existsSync('/usr/bin/redis-server')) return 'found /usr/bin/redis-server';
    // Optional: without it, everything but sessions that declare a Redis service works.
    return aptInstall('redis-server', 'Redis services').catch((e: Error) => `skipped: ${e.message}`);
  });

  const goSum = await readFile(path.join(templateDir, 'go.sum'), 'utf8');
  const moduleDirs = [templateDir, ...(await readdir(PREFETCH_DIR)).sort().map((d) => path.join(PREFETCH_DIR, d))];
  let modulesKey = '';
  for (const dir of moduleDirs) modulesKey += await readFile(path.join(dir, 'go.mod'), 'utf8');
  const goEnv = { ...process.env, GOMODCACHE: paths.modCache, GOCACHE: paths.goCache, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };

  await step(4, total, 'Go modules (the template: wasm-go, proxy-wasm SDK, gjson; and common extras)', async () => {
    if (state.modules === modulesKey && existsSync(paths.modCache)) return 'already downloaded';
    // Honours the user's GOPROXY; the playground's own cache keeps ~/go untouched.
    for (const dir of moduleDirs) await runLoud(go.goBinary, ['mod', 'download', 'all'], goEnv, dir);
    state.modules = modulesKey;
    await save();
  });

  await step(5, total, `go-httpbin ${HTTPBIN_VERSION} (the upstream server)`, async () => {
    const bin = path.join(paths.bin, 'go-httpbin');
    if (state.httpbin === HTTPBIN_VERSION && existsSync(bin)) return 'already installed';
    await runLoud(go.goBinary, ['install', `${HTTPBIN_MODULE}@${HTTPBIN_VERSION}`], {
      ...goEnv,
      GOFLAGS: '',
      GOBIN: paths.bin,
      CGO_ENABLED: '0',
    });
    state.httpbin = HTTPBIN_VERSION;
    await save();
  });

  await step(6, total, 'playground-vet (the source analyzer for config keys and lints)', async () => {
    const dir = path.join(repoRoot, 'apps', 'server', 'analyzer');
    const key = `${go.version}|${(await Promise.all((await readdir(dir)).sort().map((f) => readFile(path.join(dir, f), 'utf8')))).join('\0')}`;
    const bin = path.join(paths.bin, 'playground-vet');
    if (state.analyzer === createHash('sha256').update(key).digest('hex') && existsSync(bin)) return 'already built';
    await runLoud(go.goBinary, ['build', '-trimpath', '-o', bin, '.'], { ...process.env, GOCACHE: paths.goCache, GOFLAGS: '', CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOWORK: 'off' }, dir);
    state.analyzer = createHash('sha256').update(key).digest('hex');
    await save();
  });

  await step(7, total, 'warm Go build cache (building the hello-world example)', async () => {
    const warmKey = `${go.version}|${goSum}`;
    if (state.warm === warmKey) return 'already warm';
    // Built through the playground's own builder, so the cache keys match what users will hit.
    const { Builder } = await import('../compile/builder.js');
    const builder = await Builder.create({ paths });
    if (!builder.sandbox.available) throw new Error(builder.sandbox.reason);
    const main = await readFile(path.join(examplesDir, 'hello-world', 'main.go'), 'utf8');
    const result = await builder.build({ 'main.go': main + '\n// warm-up\n' }).finally(() => builder.close());
    if (!result.ok) throw new Error(`the example did not build:\n${result.output}`);
    state.warm = warmKey;
    await save();
    return `built in ${(result.durationMs / 1000).toFixed(1)} s`;
  });

  await step(8, total, 'gopls (Go intelligence in the editor: completion, hover, diagnostics while typing)', async () => {
    // Optional: without it the editor works without intelligence, and /api/health says why.
    // gopls v0.23 needs Go 1.26; older toolchains get the newest gopls they build.
    const v = parseGoVersion(go.version);
    const version = !v || v.minor >= 26 ? GOPLS_VERSION : v.minor === 25 ? 'v0.21.1' : 'v0.20.0';
    const bin = path.join(paths.bin, 'gopls');
    if (state.gopls === version && existsSync(bin)) return 'already installed';
    try {
      await runLoud(go.goBinary, ['install', `${GOPLS_MODULE}@${version}`], {
        ...goEnv,
        // A module cache of its own: gopls's dependencies stay out of the one plugins build from
        // (whose packages gopls offers as completions).
        GOMODCACHE: path.join(paths.dataDir, 'tools-modcache'),
        GOFLAGS: '',
        GOBIN: paths.bin,
        CGO_ENABLED: '0',
      });
    } catch (e) {
      return `skipped (Go intelligence will be off): ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`;
    }
    state.gopls = version;
    await save();
    return version === GOPLS_VERSION ? `installed ${version}` : `installed ${version} (gopls ${GOPLS_VERSION} needs Go 1.26)`;
  });

  if (forTests) {
    await step(9, total, 'Chromium for the browser tests, nginx for the replica tests', async () => {
      const found: string[] = [];
      if (existsSync('/usr/bin/chromium')) found.push('found /usr/bin/chromium');
      else found.push(await aptInstall('chromium', 'The browser tests'));
      if (existsSync('/usr/sbin/nginx')) found.push('found /usr/sbin/nginx');
      else found.push(await aptInstall('nginx-light', 'The replica tests'));
      return found.join(', ');
    });
  }
  console.log('[setup] ready');
}

main().catch((err) => {
  console.error(`[setup] ${(err as Error).message}`);
  process.exit(1);
});
