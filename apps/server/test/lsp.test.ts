// Go intelligence: a real gopls per project, in the build sandbox, behind the /api/lsp routes of a
// real server: completion, hover, signature help, definitions into the SDK, type errors while
// typing (no build), and the caps that turn it off (memory, idle time) without breaking anything.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server.js';
import { example } from './support/plugins.js';
import { templateDir } from '../src/toolchain/paths.js';
import { LspConnection, RpcClosedError, RpcTimeoutError } from '../src/lsp/jsonrpc.js';
import { GoplsPool } from '../src/lsp/pool.js';
import { PassThrough } from 'node:stream';

let server: TestServer;
let hello: string;

beforeAll(async () => {
  // Clients are told apart by X-Forwarded-For, as behind a load balancer.
  process.env.PLAYGROUND_TRUST_PROXY = 'loopback';
  server = await startServer();
  hello = (await example('hello-world')).files['main.go'];
});
afterAll(async () => {
  delete process.env.PLAYGROUND_TRUST_PROXY;
  await server.close();
});

const ME = '10.9.0.1';
/** A request from client `ip`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read API answers loosely
async function as(ip: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
const post = (path: string, body: unknown, ip = ME) => as(ip, 'POST', path, body);

async function open(files: Record<string, string>, ip = ME): Promise<string> {
  const r = await post('/api/lsp', { files }, ip);
  expect(r.status).toBe(200);
  expect(r.json.off).toBeUndefined();
  return r.json.workspaceId;
}

/** 1-based line and the column just after `needle` on the first line holding it. */
function after(source: string, needle: string): { line: number; column: number } {
  const lines = source.split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not in the source`);
  return { line: i + 1, column: lines[i].indexOf(needle) + needle.length + 1 };
}

/** The end of the line that is exactly `line`. */
function endOf(source: string, line: string): { line: number; column: number } {
  const i = source.split('\n').indexOf(line);
  if (i < 0) throw new Error(`no line "${line}" in the source`);
  return { line: i + 1, column: line.length + 1 };
}

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Go intelligence (gopls)', () => {
  let id: string;

  it('is offered, with the gopls version, in /api/health', async () => {
    const health = await (await server.get('/api/health')).json();
    expect(health.intelligence).toMatchObject({ available: true, gopls: 'v0.23.0' });
  });

  it('off on a server without it: health says why, and opening answers off', async () => {
    process.env.PLAYGROUND_GOPLS = '0';
    try {
      const pool = await GoplsPool.create(server.builder);
      expect(pool.status()).toEqual({ available: false, reason: 'Go intelligence is turned off on this server (PLAYGROUND_GOPLS=0)' });
      expect(await pool.open({ 'main.go': hello }, ME)).toMatchObject({ cause: 'unavailable', retry: false });
      await pool.stop();
    } finally {
      delete process.env.PLAYGROUND_GOPLS;
    }
  });

  it('completes the SDK after `proxywasm.` and `wrapper.`, with signatures and docs', async () => {
    const started = performance.now();
    id = await open({ 'main.go': hello });
    // Typing `proxywasm.` on a line of its own: the request carries the text, as the editor has it.
    const typed = hello.replace('\tproxywasm.AddHttpRequestHeader("hello", "world")\n', '\tproxywasm.AddHttpRequestHeader("hello", "world")\n\tproxywasm.\n');
    const first = await post(`/api/lsp/${id}/completion`, { path: 'main.go', ...endOf(typed, '\tproxywasm.'), text: typed });
    const firstMs = performance.now() - started;
    expect(first.status).toBe(200);
    const status = (await as(ME, 'GET', `/api/lsp/${id}`)).json;
    console.log(`gopls: project loaded in ${status.startMs} ms; open + first completion ${Math.round(firstMs)} ms`);
    const item = first.json.items.find((i: { label: string }) => i.label === 'AddHttpRequestHeader');
    expect(item).toMatchObject({ kind: 'function', detail: 'func(key string, value string) error', snippet: true });
    expect(item.insertText).toMatch(/^AddHttpRequestHeader\(\$\{1:key string\}, \$\{2:value string\}\)$/);
    expect(item.documentation).toMatch(/adds a value for given "key" to the request headers/);

    const wrapperTyped = typed.replace('\tproxywasm.\n', '\twrapper.\n');
    const w = await post(`/api/lsp/${id}/completion`, { path: 'main.go', ...endOf(wrapperTyped, '\twrapper.'), text: wrapperTyped });
    const labels = w.json.items.map((i: { label: string }) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['SetCtx', 'ParseConfig', 'ProcessRequestHeaders']));
    expect(w.json.items.find((i: { label: string }) => i.label === 'SetCtx').detail).toMatch(/^func\(pluginName string/);
  });

  it('hover on proxywasm.AddHttpRequestHeader shows its doc comment', async () => {
    const r = await post(`/api/lsp/${id}/hover`, { path: 'main.go', ...after(hello, 'proxywasm.AddHttp'), text: hello });
    expect(r.json.hover.markdown).toContain('func proxywasm.AddHttpRequestHeader(key string, value string) error');
    expect(r.json.hover.markdown).toContain('AddHttpRequestHeader adds a value for given "key" to the request headers.');
    expect(r.json.hover.range).toMatchObject({ line: after(hello, 'proxywasm.AddHttp').line });
  });

  it('signature help inside the call: the signature and the active parameter', async () => {
    const inFirst = await post(`/api/lsp/${id}/signature`, { path: 'main.go', ...after(hello, 'AddHttpRequestHeader(') });
    expect(inFirst.json.signature.signatures[0].label).toBe('AddHttpRequestHeader(key string, value string) error');
    expect(inFirst.json.signature.signatures[0].parameters.map((p: { label: string }) => p.label)).toEqual(['key string', 'value string']);
    expect(inFirst.json.signature.activeParameter).toBe(0);
    const inSecond = await post(`/api/lsp/${id}/signature`, { path: 'main.go', ...after(hello, 'AddHttpRequestHeader("hello", ') });
    expect(inSecond.json.signature.activeParameter).toBe(1);
    const outside = await post(`/api/lsp/${id}/signature`, { path: 'main.go', line: 1, column: 1 });
    expect(outside.json.signature).toBeNull();
  });

  it('go to definition opens the SDK source: its text and a display path in the module', async () => {
    const r = await post(`/api/lsp/${id}/definition`, { path: 'main.go', ...after(hello, 'proxywasm.AddHttp') });
    expect(r.json.definitions).toHaveLength(1);
    const def = r.json.definitions[0];
    expect(def.external).toBe(true);
    expect(def.path).toMatch(/^github\.com\/higress-group\/proxy-wasm-go-sdk@v[^/]+\/proxywasm\/hostcall\.go$/);
    expect(def.text.split('\n')[def.line - 1]).toMatch(/^func AddHttpRequestHeader\(/);
    // Inside the project: a project path, no text.
    const local = await post(`/api/lsp/${id}/definition`, { path: 'main.go', ...after(hello, 'wrapper.ParseConfigBy(parse') });
    expect(local.json.definitions[0]).toMatchObject({ path: 'main.go', external: false, line: after(hello, 'func parseConfig').line });
    expect(local.json.definitions[0].text).toBeUndefined();
  });

  it('a type error is an error diagnostic on its line while typing, without a build', async () => {
    const buildsBefore = server.builder.info().queue;
    const bad = hello.replace('func main() {}', 'func main() {\n\tvar n int = "text"\n\t_ = n\n}');
    const started = performance.now();
    const r = await post(`/api/lsp/${id}/files`, { path: 'main.go', text: bad, version: 2 });
    const ms = performance.now() - started;
    console.log(`change → type error diagnostic: ${Math.round(ms)} ms`);
    expect(r.json.settled).toBe(true);
    const line = after(bad, 'var n int').line;
    expect(r.json.diagnostics).toEqual([
      expect.objectContaining({ file: 'main.go', line, column: 14, severity: 'error', message: expect.stringMatching(/cannot use "text" \(untyped string constant\) as int value/) }),
    ]);
    expect(server.builder.info().queue).toEqual(buildsBefore);
    // An older edit arriving late is ignored; the fix clears the marker.
    const stale = await post(`/api/lsp/${id}/files`, { path: 'main.go', text: hello + '\nfunc broken( {\n', version: 1 });
    expect(stale.json.diagnostics).toHaveLength(1);
    const fixed = await post(`/api/lsp/${id}/files`, { path: 'main.go', text: hello, version: 3 });
    expect(fixed.json).toEqual({ diagnostics: [], settled: true });
  });

  it('a new file of the package joins it: its errors and its declarations', async () => {
    const r = await post(`/api/lsp/${id}/files`, { path: 'util.go', text: 'package main\n\nfunc helper() int { return "no" }\n' });
    expect(r.json.diagnostics).toEqual([expect.objectContaining({ file: 'util.go', line: 3, severity: 'error' })]);
    const withCall = hello.replace('func main() {}', 'func main() { _ = helper() }');
    const def = await post(`/api/lsp/${id}/definition`, { path: 'main.go', ...after(withCall, '_ = help'), text: withCall });
    expect(def.json.definitions[0]).toMatchObject({ path: 'util.go', line: 3 });
    const gone = await post(`/api/lsp/${id}/files`, { path: 'util.go', text: null });
    expect(gone.json.diagnostics.filter((d: { file: string }) => d.file === 'util.go')).toEqual([]);
    const bad = await post(`/api/lsp/${id}/files`, { path: '../etc/passwd', text: 'x' });
    expect(bad.status).toBe(400);
  });

  it("a project with its own go.mod: gopls loads the modules the build's dependency step resolves", async () => {
    const dir = path.join(templateDir, 'prefetch', 'common-modules');
    const withSjson = hello
      .replace('"github.com/tidwall/gjson"', '"github.com/tidwall/gjson"\n\t"github.com/tidwall/sjson"')
      .replace('func main() {}', 'func main() {\n\t_, _ = sjson.Set("{}", "a", 1)\n\tsjson.\n}');
    const files = { 'go.mod': await readFile(path.join(dir, 'go.mod'), 'utf8'), 'go.sum': await readFile(path.join(dir, 'go.sum'), 'utf8'), 'main.go': withSjson };
    const own = await open(files);
    const r = await post(`/api/lsp/${own}/completion`, { path: 'main.go', ...endOf(withSjson, '\tsjson.') });
    expect(r.json.items.map((i: { label: string }) => i.label)).toEqual(expect.arrayContaining(['Set', 'SetBytes']));
    await as(ME, 'DELETE', `/api/lsp/${own}`);
  });

  it('belongs to the client that opened it: another gets 403', async () => {
    const other = '10.9.0.2';
    expect((await post(`/api/lsp/${id}/completion`, { path: 'main.go', line: 1, column: 1 }, other)).status).toBe(403);
    expect((await post(`/api/lsp/${id}/files`, { path: 'main.go', text: hello }, other)).status).toBe(403);
    expect((await as(other, 'DELETE', `/api/lsp/${id}`)).status).toBe(403);
    expect((await as(other, 'GET', `/api/lsp/${id}`)).status).toBe(403);
    expect((await as(ME, 'GET', `/api/lsp/${id}`)).json.state).toBe('ready');
  });

  it('DELETE stops gopls; the id is then unknown', async () => {
    const pid = server.playground.lsp.find(id)!.pid!;
    expect((await as(ME, 'DELETE', `/api/lsp/${id}`)).status).toBe(204);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect((await post(`/api/lsp/${id}/hover`, { path: 'main.go', line: 1, column: 1 })).status).toBe(404);
  });
});

describe('caps turn intelligence off for the project, with a reason', () => {
  const withEnv = async <T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> => {
    Object.assign(process.env, env);
    try {
      return await fn();
    } finally {
      for (const k of Object.keys(env)) delete process.env[k];
    }
  };

  it('memory: a gopls over its cap is stopped, and every call answers off', async () => {
    const opened = await withEnv({ PLAYGROUND_GOPLS_MEMORY_MB: '1' }, () => post('/api/lsp', { files: { 'main.go': hello } }));
    expect(opened.status).toBe(200);
    let off = opened.json;
    if (opened.json.workspaceId) {
      const wid = opened.json.workspaceId;
      const status = await until(() => as(ME, 'GET', `/api/lsp/${wid}`), (r) => r.json.state === 'off');
      off = status.json.off;
      const completion = await post(`/api/lsp/${wid}/completion`, { path: 'main.go', ...after(hello, 'proxywasm.') });
      expect(completion.json).toEqual(off);
      const change = await post(`/api/lsp/${wid}/files`, { path: 'main.go', text: hello + '\n' });
      expect(change.json).toEqual(off);
    }
    expect(off).toMatchObject({ cause: 'memory', retry: false, off: expect.stringMatching(/over its 1 MiB cap: Go intelligence is off for this project/) });
  });

  it('idle time: an unused gopls stops; calls answer off, and a new workspace may be opened', async () => {
    const wid = await withEnv({ PLAYGROUND_GOPLS_IDLE_MS: '1500' }, () => open({ 'main.go': hello }));
    const ws = server.playground.lsp.find(wid)!;
    const pid = ws.pid!;
    // Use keeps it alive past the idle time.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await post(`/api/lsp/${wid}/hover`, { path: 'main.go', ...after(hello, 'proxywasm.AddHttp') })).json.hover).not.toBeNull();
    await new Promise((r) => setTimeout(r, 1000));
    expect(ws.state).toBe('ready');
    const status = await until(() => as(ME, 'GET', `/api/lsp/${wid}`), (r) => r.json.state === 'off', 5000);
    expect(status.json.off).toMatchObject({ cause: 'idle', retry: true, off: 'Go intelligence stopped after 2 s without use' });
    await until(async () => existsSync(`/proc/${pid}`), (alive) => !alive, 2000);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect((await post(`/api/lsp/${wid}/hover`, { path: 'main.go', line: 1, column: 1 })).json).toMatchObject({ cause: 'idle' });
  });

  it('a crash: gopls gone turns intelligence off for the project, and calls answer off', async () => {
    const wid = await open({ 'main.go': hello });
    process.kill(server.playground.lsp.find(wid)!.pid!, 'SIGKILL');
    const status = await until(() => as(ME, 'GET', `/api/lsp/${wid}`), (r) => r.json.state === 'off', 5000);
    expect(status.json.off).toMatchObject({ cause: 'crash', retry: false, off: expect.stringMatching(/^gopls stopped/) });
    expect((await post(`/api/lsp/${wid}/completion`, { path: 'main.go', line: 1, column: 1 })).json).toEqual(status.json.off);
    // The server goes on: health answers, a new workspace works.
    expect((await server.get('/api/health')).status).toBe(200);
    const again = await open({ 'main.go': hello });
    expect((await post(`/api/lsp/${again}/hover`, { path: 'main.go', ...after(hello, 'proxywasm.AddHttp') })).json.hover).not.toBeNull();
    await as(ME, 'DELETE', `/api/lsp/${again}`);
  });

  it('a client runs a bounded number of gopls: a new one stops its least recently used', async () => {
    const ip = '10.9.0.3';
    const a = await open({ 'main.go': hello }, ip);
    const b = await open({ 'main.go': hello }, ip);
    await post(`/api/lsp/${a}/hover`, { path: 'main.go', line: 1, column: 1 }, ip);
    const c = await open({ 'main.go': hello }, ip); // at most 2 per client: b was used least recently
    expect((await as(ip, 'GET', `/api/lsp/${b}`)).json.off).toMatchObject({ cause: 'evicted', retry: true });
    expect((await as(ip, 'GET', `/api/lsp/${a}`)).json.state).not.toBe('off');
    for (const w of [a, b, c]) expect((await as(ip, 'DELETE', `/api/lsp/${w}`)).status).toBe(204);
  });

  it('a full server: the client running the most gopls gives one up to a newcomer', async () => {
    await withEnv({ PLAYGROUND_GOPLS_MAX: '2' }, async () => {
      const [x, y] = ['10.9.0.4', '10.9.0.5'];
      const x1 = await open({ 'main.go': hello }, x);
      const x2 = await open({ 'main.go': hello }, x);
      const y1 = await open({ 'main.go': hello }, y);
      expect((await as(x, 'GET', `/api/lsp/${x1}`)).json.off).toMatchObject({ cause: 'evicted', off: expect.stringMatching(/at most 2 at once on this server/) });
      expect((await as(x, 'GET', `/api/lsp/${x2}`)).json.state).not.toBe('off');
      for (const [ip, w] of [[x, x1], [x, x2], [y, y1]]) await as(ip, 'DELETE', `/api/lsp/${w}`);
    });
  });
});

describe('the LSP base protocol (Content-Length framing)', () => {
  const frame = (msg: unknown) => {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
  };

  it('reads messages split anywhere and counts bytes, not characters; answers server requests', async () => {
    const fromServer = new PassThrough();
    const toServer = new PassThrough();
    const notes: unknown[] = [];
    const conn = new LspConnection(fromServer, toServer, {
      maxMessageBytes: 1 << 20,
      onNotification: (method, params) => notes.push({ method, params }),
      onRequest: (method) => (method === 'workspace/configuration' ? [{}] : undefined),
    });
    const answer = conn.request('textDocument/hover', {});
    const sent = (toServer.read() as Buffer).toString();
    expect(sent).toMatch(/^Content-Length: \d+\r\n\r\n\{"jsonrpc":"2.0","id":1,"method":"textDocument\/hover"/);
    const bytes = Buffer.concat([frame({ jsonrpc: '2.0', method: 'note', params: { text: 'héllo ✓' } }), frame({ jsonrpc: '2.0', id: 1, result: { ok: '∑' } })]);
    for (let i = 0; i < bytes.length; i += 7) fromServer.write(bytes.subarray(i, i + 7));
    expect(await answer).toEqual({ ok: '∑' });
    expect(notes).toEqual([{ method: 'note', params: { text: 'héllo ✓' } }]);
    fromServer.write(frame({ jsonrpc: '2.0', id: 'srv-1', method: 'workspace/configuration', params: {} }));
    await new Promise((r) => setImmediate(r));
    expect((toServer.read() as Buffer).toString()).toContain('"id":"srv-1","result":[{}]');
  });

  it('times out (cancelling the request), and closes on a message over the cap', async () => {
    const fromServer = new PassThrough();
    const toServer = new PassThrough();
    let closed = '';
    const conn = new LspConnection(fromServer, toServer, { maxMessageBytes: 100, onClose: (r) => (closed = r) });
    await expect(conn.request('slow', {}, { timeoutMs: 20 })).rejects.toBeInstanceOf(RpcTimeoutError);
    expect(toServer.read().toString()).toContain('"method":"$/cancelRequest","params":{"id":1}');
    const pending = conn.request('other', {});
    fromServer.write('Content-Length: 1000\r\n\r\n');
    await expect(pending).rejects.toBeInstanceOf(RpcClosedError);
    expect(closed).toMatch(/message of 1000 bytes/);
  });
});
