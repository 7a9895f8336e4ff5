import { zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, nonce, type TestServer } from './support/server.js';
import { example, header } from './support/plugins.js';
import { project } from './support/projects.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

async function runProject(files: Record<string, string>, config: string, request: Record<string, unknown> = {}) {
  const req = { method: 'GET', path: '/get', headers: [], body: '', ...request };
  const { status, json } = await server.post('/api/run', { files, config, request: req });
  expect(status).toBe(200);
  expect(json.build.ok, json.build.output + JSON.stringify(json.build.diagnostics)).toBe(true);
  expect(json.exchange, JSON.stringify(json.error)).not.toBeNull();
  await fetch(`${server.url}/api/sessions/${json.session.sessionId}`, { method: 'DELETE' });
  return json;
}

describe('projects with their own go.mod', () => {
  it('builds and runs a module split into sub-packages, with an embedded data file', async () => {
    const json = await runProject(await project('multi-package'), 'language: fr\n');
    expect(header(json.exchange.upstreamRequest.headers, 'x-greeting')).toEqual(['bonjour']);
    expect(json.build.output).toMatch(/dependencies: \d+ modules/);
  });

  it('uses third-party modules (sjson, uuid) that setup pre-fetched, without the network', async () => {
    const files = await project('sjson-uuid');
    const json = await runProject(files, '', {
      method: 'POST',
      path: '/post',
      headers: [['content-type', 'application/json']],
      body: '{"order": 42}',
    });
    const received = JSON.parse(JSON.parse(json.exchange.response.body).data);
    expect(received.order).toBe(42);
    expect(received.stamp.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(json.build.output).toMatch(/found in the module cache|cached/);
  });

  it('honours a pinned older wasm-go and reports the go.mod it built with', async () => {
    // The project pins wasm-go v1.0.0; its code is the hello-world example with its own header.
    const hello = (await example('hello-world')).files['main.go'];
    const files = { ...(await project('old-wasm-go')), 'main.go': hello.replace('"hello", "world"', '"x-wasm-go", "v1.0.0"') };
    const json = await runProject(files, 'mockEnable: false\n');
    expect(header(json.exchange.upstreamRequest.headers, 'x-wasm-go')).toEqual(['v1.0.0']);
    const built = await (await server.get(`/api/builds/${json.build.buildId}`)).json();
    expect(built.goMod).toMatch(/github\.com\/higress-group\/wasm-go v1\.0\.0\n/);
  });

  it('resolves a project without go.sum from the module cache', async () => {
    const files = await project('multi-package');
    delete files['go.sum'];
    files['main.go'] += nonce();
    const json = await runProject(files, 'language: zh\n');
    expect(header(json.exchange.upstreamRequest.headers, 'x-greeting')).toEqual(['ni hao']);
  });

  it('does not resolve again when only code changes', async () => {
    const files = await project('multi-package');
    const first = await server.post('/api/build', { files: { ...files, 'main.go': files['main.go'] + nonce() } });
    const second = await server.post('/api/build', { files: { ...files, 'main.go': files['main.go'] + nonce() } });
    expect(first.json.ok && second.json.ok).toBe(true);
    expect(second.json.output).toMatch(/dependencies: \d+ modules, cached/);
  });

  it('puts a module that cannot be had on the go.mod line that asks for it', async () => {
    const files = await project('missing-module');
    const { json } = await server.post('/api/build', { files });
    expect(json.ok).toBe(false);
    const line = files['go.mod'].split('\n').findIndex((l) => l.includes('does-not-exist')) + 1;
    const d = json.diagnostics.find((x: { file: string }) => x.file === 'go.mod');
    expect(d, JSON.stringify(json.diagnostics)).toMatchObject({ file: 'go.mod', line, column: 2 });
    expect(d.message).toMatch(/github\.com\/playground-test-org\/does-not-exist/);
  });
});

describe('POST /api/import (.zip)', () => {
  const importZip = async (zip: Uint8Array) => {
    const res = await fetch(`${server.url}/api/import`, { method: 'POST', headers: { 'content-type': 'application/zip' }, body: zip });
    return { status: res.status, json: await res.json() };
  };

  it('opens a zipped project folder, keeps its tree and config, and it builds unchanged', async () => {
    const files = await project('multi-package');
    const entries: Record<string, Uint8Array> = { 'headerkit/config.yaml': strToU8('language: en\n'), 'headerkit/Makefile': strToU8('all:\n') };
    for (const [p, t] of Object.entries(files)) entries[`headerkit/${p}`] = strToU8(t);
    const { status, json } = await importZip(zipSync(entries));
    expect(status).toBe(200);
    expect(json.files).toEqual(files);
    expect(json.config).toBe('language: en\n');
    expect(json.skipped).toEqual(['Makefile']);
    const run = await runProject(json.files, json.config);
    expect(header(run.exchange.upstreamRequest.headers, 'x-greeting')).toEqual(['hello']);
  });

  it.each([
    ['a parent path', { 'main.go': 'package main', '../evil.go': 'x' }, /"\.\.\/evil\.go" points outside/],
    ['an absolute path', { 'main.go': 'package main', '/etc/evil.go': 'x' }, /points outside|not allowed/],
  ])('refuses %s with 400', async (_name, entries, message) => {
    const zip = zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, strToU8(v)])));
    const { status, json } = await importZip(zip);
    expect(status).toBe(400);
    expect(json.error).toMatch(message);
  });

  it('refuses a link inside the archive', async () => {
    // fflate writes Unix mode bits into the external attributes: 0o120777 marks a symbolic link.
    const zip = zipSync({ 'main.go': strToU8('package main'), 'secret.go': [strToU8('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] });
    const { status, json } = await importZip(zip);
    expect(status).toBe(400);
    expect(json.error).toMatch(/"secret\.go" is a link/);
  });

  it('refuses a zip bomb without inflating it', async () => {
    const zip = zipSync({ 'main.go': strToU8('package main'), 'bomb.json': new Uint8Array(50 * 1024 * 1024) }, { level: 9 });
    expect(zip.length).toBeLessThan(200 * 1024);
    const { status, json } = await importZip(zip);
    expect(status).toBe(400);
    expect(json.error).toMatch(/"bomb\.json" inflates/);
  });

  it('refuses what is not a zip', async () => {
    const { status, json } = await importZip(strToU8('hello'));
    expect(status).toBe(400);
    expect(json.error).toMatch(/not a readable \.zip/);
  });
});

describe('POST /api/export', () => {
  it('gives a zip whose go.mod and sources build with the guide command', async () => {
    const files = await project('multi-package');
    const res = await fetch(`${server.url}/api/export`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ files, config: 'language: fr\n', requests: [] }),
    });
    expect(res.headers.get('content-type')).toBe('application/zip');
    const back = await fetch(`${server.url}/api/import`, { method: 'POST', headers: { 'content-type': 'application/zip' }, body: await res.arrayBuffer() });
    const json = await back.json();
    expect(json.files['provider/greetings.json']).toBe(files['provider/greetings.json']);
    expect(json.config).toBe('language: fr\n');
  });
});
