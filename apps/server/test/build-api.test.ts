import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplesDir } from '../src/toolchain/paths.js';
import { nonce, startServer, type TestServer } from './support/server.js';

let server: TestServer;
let hello: string;

beforeAll(async () => {
  server = await startServer();
  hello = await readFile(path.join(examplesDir, 'hello-world', 'main.go'), 'utf8');
});
afterAll(() => server.close());

describe('GET /api/health', () => {
  it('reports the Go version, the runtimes and the sandbox in use', async () => {
    const health = await (await server.get('/api/health')).json();
    expect(health.ok).toBe(true);
    expect(health.go.version).toMatch(/^go1\.\d+/);
    expect(health.runtimes.embedded).toBe(true);
    expect(health.sandbox.mode).toBe('bwrap');
  });
});

describe('POST /api/build', () => {
  it.each(['hello-world', 'no-config', 'http-call'])('builds the %s example into a proxy-wasm module', async (name) => {
    const example = (await (await server.get(`/api/examples/${name}`)).json()) as { files: Record<string, string> };
    const { status, json } = await server.post('/api/build', { files: example.files });
    expect(status).toBe(200);
    expect(json.ok, json.output).toBe(true);
    const wasm = await server.get(`/api/builds/${json.buildId}/main.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    const bytes = new Uint8Array(await wasm.arrayBuffer());
    expect(bytes.length).toBe(json.wasmBytes);
    const exports = WebAssembly.Module.exports(await WebAssembly.compile(bytes)).map((e) => e.name);
    expect(exports).toContain('proxy_abi_version_0_2_100');
    expect(exports).toContain('_initialize');
  });

  it('answers an identical second build from the cache without compiling', async () => {
    const files = { 'main.go': hello + nonce() };
    const first = await server.post('/api/build', { files });
    expect(first.json).toMatchObject({ ok: true, cached: false });
    const second = await server.post('/api/build', { files });
    expect(second.json).toMatchObject({ ok: true, cached: true, buildId: first.json.buildId });
    expect(second.json.durationMs).toBeLessThan(first.json.durationMs);
  });

  it('puts a compile error at its file, line and column', async () => {
    const broken = hello.replace('proxywasm.AddHttpRequestHeader("hello", "world")', 'proxywasm.AddHttpRequestHeader("hello", wrld)');
    const line = broken.split('\n').findIndex((l) => l.includes('wrld')) + 1;
    const column = broken.split('\n')[line - 1].indexOf('wrld') + 1;
    const { status, json } = await server.post('/api/build', { files: { 'main.go': broken + nonce() } });
    expect(status).toBe(200);
    expect(json.ok).toBe(false);
    expect(json.diagnostics).toContainEqual({ file: 'main.go', line, column, message: 'undefined: wrld', severity: 'error' });
  });

  it('reports errors in an extra file against that file', async () => {
    const { json } = await server.post('/api/build', {
      files: { 'main.go': hello, 'util.go': 'package main\n\nfunc helper() int {\n\treturn "x"\n}\n' + nonce() },
    });
    expect(json.ok).toBe(false);
    expect(json.diagnostics[0]).toMatchObject({ file: 'util.go', line: 4, column: 9 });
  });

  it('never shows server paths in output', async () => {
    const { json } = await server.post('/api/build', { files: { 'main.go': 'package main\nimport "nosuchstd/pkg"\nfunc main() {}\n' + nonce() } });
    expect(json.ok).toBe(false);
    const text = JSON.stringify(json);
    for (const secret of [server.builder.paths.dataDir, server.builder.go.goroot, '/root', '/tmp/']) {
      expect(text).not.toContain(secret);
    }
  });

  it('explains an import of the upstream tetratelabs SDK', async () => {
    const wrong = hello.replaceAll('github.com/higress-group/proxy-wasm-go-sdk', 'github.com/tetratelabs/proxy-wasm-go-sdk');
    const { json } = await server.post('/api/build', { files: { 'main.go': wrong + nonce() } });
    expect(json.ok).toBe(false);
    const d = json.diagnostics.find((x: { message: string }) => x.message.includes('tetratelabs'));
    expect(d.file).toBe('main.go');
    expect(d.line).toBe(wrong.split('\n').findIndex((l) => l.includes('tetratelabs')) + 1);
    expect(d.message).toContain('github.com/higress-group/proxy-wasm-go-sdk');
  });

  it('warns when wrapper.SetCtx is called in main() instead of init()', async () => {
    const inMain = hello.replace('func main() {}\n', '').replace('func init() {', 'func main() {');
    const { json } = await server.post('/api/build', { files: { 'main.go': inMain + nonce() } });
    expect(json.ok).toBe(true);
    const line = inMain.split('\n').findIndex((l) => l.includes('wrapper.SetCtx(')) + 1;
    expect(json.diagnostics).toEqual([expect.objectContaining({ file: 'main.go', line, severity: 'warning' })]);
    expect(json.diagnostics[0].message).toContain('init()');
  });

  it('refuses //go:embed of a path outside the plugin folder', async () => {
    const src = 'package main\n\nimport _ "embed"\n\n//go:embed ../../etc/passwd\nvar secret string\n\nfunc main() {}\n' + nonce();
    const { json } = await server.post('/api/build', { files: { 'main.go': src } });
    expect(json.ok).toBe(false);
    expect(json.diagnostics[0]).toMatchObject({ file: 'main.go', line: 5 });
    expect(json.diagnostics[0].message).toContain("inside the plugin's own folder");
  });

  it('cannot fetch a module: imports outside the template are a clear diagnostic', async () => {
    const src = 'package main\n\nimport "github.com/someone/leftpad"\n\nfunc main() { leftpad.Pad() }\n' + nonce();
    const { json } = await server.post('/api/build', { files: { 'main.go': src } });
    expect(json.ok).toBe(false);
    expect(json.diagnostics[0]).toMatchObject({ file: 'main.go', line: 3, column: 8 });
    expect(json.diagnostics[0].message).toContain('package github.com/someone/leftpad is not available');
  });

  describe('bad requests answer 400 and name the problem', () => {
    const cases: [string, unknown, RegExp][] = [
      ['no main.go', { files: { 'util.go': 'package main' } }, /main\.go/],
      ['a parent path', { files: { 'main.go': '', '../x.go': '' } }, /"\.\.\/x\.go" is not allowed/],
      ['an absolute path', { files: { 'main.go': '', '/etc/x.go': '' } }, /"\/etc\/x\.go" is not allowed/],
      ['a parent path inside a folder', { files: { 'main.go': '', 'sub/../../x.go': '' } }, /"sub\/\.\.\/\.\.\/x\.go" is not allowed/],
      ['a backslash path', { files: { 'main.go': '', 'sub\\x.go': '' } }, /is not allowed/],
      ['a file the go tool would compile', { files: { 'main.go': '', 'asm_wasm.s': '' } }, /"asm_wasm\.s" is not allowed/],
      ['a go.mod below the root', { files: { 'main.go': '', 'sub/go.mod': 'module x' } }, /"sub\/go\.mod" is not allowed/],
      ['a hidden file', { files: { 'main.go': '', '.x.go': '' } }, /"\.x\.go" is not allowed/],
      ['a hidden folder', { files: { 'main.go': '', '.git/config.txt': '' } }, /"\.git\/config\.txt" is not allowed/],
      ['a path too deep', { files: { 'main.go': '', 'a/b/c/d/e/f/g/h/i.go': '' } }, /9 levels deep/],
      ['oversized sources', { files: { 'main.go': 'x'.repeat(1024 * 1024), 'b.go': 'x'.repeat(1024 * 1024 + 1) } }, /too large/],
      ['an oversized data file', { files: { 'main.go': '', 'big.json': 'x'.repeat(300 * 1024) } }, /data file "big\.json"/],
      ['too many files', { files: Object.fromEntries([['main.go', ''], ...Array.from({ length: 300 }, (_, i) => [`f${i}.go`, ''])]) }, /too many files/],
      ['files that are not strings', { files: { 'main.go': 42 } }, /files\.main\.go/],
      ['no files at all', {}, /files/],
      ['a file that is also a folder', { files: { 'main.go': '', 'a.json': '{}', 'a.json/b.go': '' } }, /"a\.json" is both a file and a folder/],
    ];
    it.each(cases)('%s', async (_name, body, message) => {
      const { status, json } = await server.post('/api/build', body);
      expect(status).toBe(400);
      expect(json.error).toMatch(message);
    });

    it('malformed JSON', async () => {
      const { status, json } = await server.post('/api/build', '{"files": ');
      expect(status).toBe(400);
      expect(json.error).toMatch(/not valid JSON/);
    });
  });

  it('404s an unknown build id', async () => {
    expect((await server.get('/api/builds/0123456789abcdef01234567/main.wasm')).status).toBe(404);
    expect((await server.get('/api/builds/..%2F..%2Fetc/main.wasm')).status).toBe(404);
  });
});

describe('POST /api/format', () => {
  it('formats Go source with gofmt', async () => {
    const { json } = await server.post('/api/format', { source: 'package main\nfunc   main( ) {\nx:=1\n_ = x}\n' });
    expect(json.source).toBe('package main\n\nfunc main() {\n\tx := 1\n\t_ = x\n}\n');
  });

  it('reports a syntax error with its position', async () => {
    const { status, json } = await server.post('/api/format', { source: 'package main\n\nfunc main() {\n\tx := \n}\n' });
    expect(status).toBe(200);
    expect(json).toMatchObject({ line: 5, column: 1 });
    expect(json.error).toMatch(/expected/);
  });
});
