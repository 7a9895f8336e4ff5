// Builds a test plugin (test/plugins/<name>/*.go, or the repository's examples/<name> for the seed
// plugins) with the playground's Go toolchain setup and caches the .wasm by a hash of its sources
// under <data>/test-wasm.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, copyFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
export const packageDir = resolve(here, '../..');
export const repoRoot = resolve(packageDir, '../..');
export const dataDir = process.env.PLAYGROUND_DATA_DIR ? resolve(process.env.PLAYGROUND_DATA_DIR) : join(repoRoot, '.data');
const templateDir = join(repoRoot, 'packages/plugin-template');

const inflight = new Map<string, Promise<Uint8Array>>();

export function buildPlugin(name: string): Promise<Uint8Array> {
  let p = inflight.get(name);
  if (!p) {
    p = build(name);
    inflight.set(name, p);
  }
  return p;
}

async function build(name: string): Promise<Uint8Array> {
  const srcDir = name.startsWith('examples/') ? join(repoRoot, name) : join(packageDir, 'test/plugins', name);
  const files = readdirSync(srcDir).filter((f) => f.endsWith('.go')).sort();
  const hash = createHash('sha256');
  for (const f of [...files.map((f) => join(srcDir, f)), join(templateDir, 'go.mod'), join(templateDir, 'go.sum')]) {
    hash.update(f.split('/').pop()!).update(readFileSync(f));
  }
  const key = hash.digest('hex').slice(0, 16);
  const cacheDir = join(dataDir, 'test-wasm');
  const out = join(cacheDir, `${name.replace('/', '-')}-${key}.wasm`);
  if (existsSync(out)) return new Uint8Array(readFileSync(out));

  const modCache = join(dataDir, 'gomodcache');
  if (!existsSync(join(modCache, 'github.com/higress-group'))) {
    throw new Error(`Go module cache missing at ${modCache}: run \`pnpm run setup\` at the repository root`);
  }
  const work = mkdtempSync(join(tmpdir(), `pwh-${name.replace('/', '-')}-`));
  try {
    for (const f of files) copyFileSync(join(srcDir, f), join(work, f));
    copyFileSync(join(templateDir, 'go.mod'), join(work, 'go.mod'));
    copyFileSync(join(templateDir, 'go.sum'), join(work, 'go.sum'));
    try {
      await run('go', ['build', '-buildmode=c-shared', '-trimpath', '-o', 'main.wasm', '.'], {
        cwd: work,
        env: {
          ...process.env,
          GOOS: 'wasip1',
          GOARCH: 'wasm',
          CGO_ENABLED: '0',
          GOPROXY: 'off',
          GOFLAGS: '-mod=mod',
          GOTOOLCHAIN: 'local',
          GOMODCACHE: modCache,
          GOCACHE: join(dataDir, 'gocache'),
        },
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`building test plugin ${name} failed:\n${err.stderr ?? err.message}`);
    }
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, readFileSync(join(work, 'main.wasm')));
    renameSync(tmp, out);
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The Higress guide's sample plugins, as the repository's examples hold them. */
export const SEED_PLUGINS = ['examples/hello-world', 'examples/no-config', 'examples/http-call'];
