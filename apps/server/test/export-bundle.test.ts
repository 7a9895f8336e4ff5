import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server.js';
import { example } from './support/plugins.js';
import { exportScenario, goTestIn as goTest } from './support/bundle.js';
let server: TestServer;
const dirs: string[] = [];
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Exports an example's scenario and unpacks the bundle into a fresh folder. */
async function exportTo(name: string, config: string, requests: unknown[]): Promise<string> {
  const { files, services } = await example(name);
  return exportScenario(server.url, { files, config, requests, services }, dirs);
}

const GET = { name: 'get', method: 'GET', path: '/get', headers: [['accept', '*/*']], body: '' };

describe('POST /api/export: a bundle that runs outside the playground', () => {
  it('holds the gateway setup of the Higress guide and the scenario requests', async () => {
    const dir = await exportTo('hello-world', 'mockEnable: false\n', [GET]);
    const envoy = yaml.load(await readFile(path.join(dir, 'envoy.yaml'), 'utf8')) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const filters = envoy.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters;
    expect(filters[0].typed_config.value.config.configuration.value).toBe('{"mockEnable":false}');
    expect(filters[0].typed_config.value.config.vm_config.runtime).toBe('envoy.wasm.runtime.v8');
    const compose = yaml.load(await readFile(path.join(dir, 'docker-compose.yaml'), 'utf8')) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(compose.services.envoy.command).toContain('--component-log-level wasm:debug');
    expect(await readFile(path.join(dir, 'requests.sh'), 'utf8')).toContain("curl -sS -i -X GET -H 'accept: */*' 'http://127.0.0.1:10000/get'");
    const test = await readFile(path.join(dir, 'playground_scenario_test.go'), 'utf8');
    expect(test).toContain('test.HasHeaderWithValue(host.GetRequestHeaders(), "hello", "world")');
    expect(test).toContain('logged(host.GetInfoLogs(), "added header hello: world")');
  });

  it("the http-call bundle's go test passes in Go and wasm mode, replaying the callout", async () => {
    const dir = await exportTo('http-call', (await example('http-call')).config, [GET]);
    const test = await readFile(path.join(dir, 'playground_scenario_test.go'), 'utf8');
    expect(test).toContain('host.CallOnHttpCall(');
    expect(test).toContain('"x-token", "playground-token-123"');
    const r = await goTest(dir);
    expect(r.ok, r.output).toBe(true);
    expect(r.output).toMatch(/^ok\s+playground\/plugin/m);
  }, 300_000);

  it("a local reply is asserted, and the test fails when the plugin's behaviour changes", async () => {
    const dir = await exportTo('hello-world', 'mockEnable: true\n', [GET]);
    const test = await readFile(path.join(dir, 'playground_scenario_test.go'), 'utf8');
    expect(test).toContain('require.Equal(t, "hello world", string(reply.Data))');
    expect((await goTest(dir, ['-run', 'TestScenario/go'])).ok).toBe(true);
    const main = path.join(dir, 'main.go');
    await writeFile(main, (await readFile(main, 'utf8')).replace('[]byte("hello world")', '[]byte("hello there")'));
    const broken = await goTest(dir, ['-run', 'TestScenario/go']);
    expect(broken.ok).toBe(false);
    expect(broken.output).toContain('hello there');
  }, 300_000);

  it('refuses to export a plugin that does not build, with its diagnostics', async () => {
    const res = await server.post('/api/export', { files: { 'main.go': 'package main\nfunc main() { nope() }\n' }, config: '', requests: [] });
    expect(res.status).toBe(422);
    expect(res.json.diagnostics[0]).toMatchObject({ file: 'main.go', line: 2 });
  });
});
