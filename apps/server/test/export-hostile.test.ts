import { access, chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportScenario, goTestIn, run } from './support/bundle.js';
import { testPlugin } from './support/plugins.js';
import { startServer, type TestServer } from './support/server.js';

// Strings a plugin or a user controls, each aimed at a file of the bundle: Go string literals and
// comments, shell words, YAML scalars. pwn() is defined by the plugin (test/plugins/export-hostile):
// pasted raw into the exported Go test, it would run there and leave a PWNED file; the shell payloads
// would create one in the folder the script runs in.
const TAG = `t"ag\\ */ "+pwn()+" $(touch PWNED) 'q' #x: y`;
const NOTE = `line1\nline2 */ "+pwn()+"\r\n- evil: true`;
const CONFIG = `# hostile values\ntag: ${JSON.stringify(TAG)}\nnote: ${JSON.stringify(NOTE)}\n`;
const GATEWAY_IMAGE = 'gw:1 # comment\n    privileged: true\n  pwned:\n    image: evil';
const HTTPBIN_IMAGE = `"bin": {a: [b]}, 'x' &a *a !!binary`;

const PATH1 = '/anything/\'"$(touch${IFS}PWNED)`touch${IFS}PWNED`\\?q="+pwn()+"&x=*/';
const BODY1 = `@/etc/hostname b'"\\$(touch PWNED)\n*/ "+pwn()+"`;
const HEADERS1: [string, string][] = [
  ['x-user', `v'"\\$(touch PWNED) \`touch PWNED\``],
  ['z"+pwn()+"', 'removed by the plugin'],
  ['x-keep', `it's "fine" \\ $HOME ; touch PWNED #`],
  ['x-empty', ''],
];
const BINARY2 = new Uint8Array([0x2d, 0x6e, 0x20, 0x00, 0xff, 0x27, 0x25, 0x73, 0x5c, 0x6e, 0x0a]);
const PATH2 = '/anything/[a]{b,c}';

const REQUESTS = [
  {
    name: 'first */ "+pwn()+"\r\ntouch PWNED #',
    method: 'post',
    path: PATH1,
    headers: HEADERS1,
    body: BODY1,
  },
  {
    name: 'second\ntouch PWNED',
    method: 'PUT',
    path: PATH2,
    headers: [],
    body: { base64: Buffer.from(BINARY2).toString('base64') },
    route: 'r"+pwn()+"',
  },
];

/** What curl must be called with for each request: exactly these arguments (and bytes on stdin). */
const URL = 'http://127.0.0.1:10000';
const EXPECTED_CURLS = [
  {
    args: [
      '-sS',
      '-i',
      '-X',
      'POST',
      '-H',
      `x-user: ${HEADERS1[0][1]}`,
      '-H',
      `z"+pwn()+": removed by the plugin`,
      '-H',
      `x-keep: ${HEADERS1[2][1]}`,
      '-H',
      'x-empty;',
      '--data-raw',
      BODY1,
      '--globoff', // the path's ${IFS} braces are no curl URL glob
      URL + PATH1,
    ],
    stdin: null,
  },
  {
    args: ['-sS', '-i', '-X', 'PUT', '--data-binary', '@-', '--globoff', URL + PATH2],
    stdin: Buffer.from(BINARY2).toString('base64'),
  },
];

let server: TestServer;
let bundle: string;
const dirs: string[] = [];
const savedEnv = {
  gateway: process.env.PLAYGROUND_DOCKER_GATEWAY_IMAGE,
  httpbin: process.env.PLAYGROUND_DOCKER_HTTPBIN_IMAGE,
};
const restore = (name: string, value: string | undefined) =>
  value === undefined ? delete process.env[name] : (process.env[name] = value);

beforeAll(async () => {
  // The compose file names the images the operator configured: make those hostile too.
  process.env.PLAYGROUND_DOCKER_GATEWAY_IMAGE = GATEWAY_IMAGE;
  process.env.PLAYGROUND_DOCKER_HTTPBIN_IMAGE = HTTPBIN_IMAGE;
  server = await startServer();
  bundle = await exportScenario(
    server.url,
    { files: await testPlugin('export-hostile'), config: CONFIG, requests: REQUESTS },
    dirs,
  );
});
afterAll(async () => {
  restore('PLAYGROUND_DOCKER_GATEWAY_IMAGE', savedEnv.gateway);
  restore('PLAYGROUND_DOCKER_HTTPBIN_IMAGE', savedEnv.httpbin);
  await server?.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );
const scratch = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hostile-'));
  dirs.push(dir);
  return dir;
};

describe('POST /api/export with hostile names and values', () => {
  it('gives a go test that asserts the hostile headers, passes in Go and wasm mode, and runs no injected code', async () => {
    const test = await readFile(path.join(bundle, 'playground_scenario_test.go'), 'utf8');
    // The hostile names are asserted on, not dropped.
    expect(test).toContain(
      'test.HasHeaderWithValue(host.GetResponseHeaders(), "y\\"+pwn()+\\"", "r\\"+pwn()+\\"\\\\")',
    );
    expect(test).toContain(
      'test.HasHeaderWithValue(host.GetResponseHeaders(), "y-nl\\n// */\\"+pwn()+\\"", "v")',
    );
    expect(test).toContain('test.HasHeader(host.GetRequestHeaders(), "z\\"+pwn()+\\"")');
    const r = await goTestIn(bundle, ['-v', '-count=1']);
    expect(r.ok, r.output).toBe(true);
    expect(r.output).toMatch(/--- PASS: TestScenario\/go\b/);
    expect(r.output).toMatch(/--- PASS: TestScenario\/wasm\b/);
    expect(r.output).not.toContain('injected code ran');
    expect(await exists(path.join(bundle, 'PWNED'))).toBe(false);
  }, 300_000);

  it.each(['sh', 'bash'])(
    "gives a requests.sh that %s parses, and that calls curl with exactly the scenario's strings",
    async (shell) => {
      const script = path.join(bundle, 'requests.sh');
      await run(shell, ['-n', script]);
      // A curl on PATH that records its arguments (and stdin, when it reads the body from there).
      const bin = await scratch();
      const log = path.join(bin, 'curl.log');
      await writeFile(
        path.join(bin, 'curl'),
        `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
const stdin = args.includes('@-') ? fs.readFileSync(0).toString('base64') : null;
fs.appendFileSync(process.env.CURL_LOG, JSON.stringify({ args, stdin }) + '\\n');
`,
      );
      await chmod(path.join(bin, 'curl'), 0o755);
      const cwd = await scratch();
      await run(shell, [script], {
        cwd,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, CURL_LOG: log },
      });
      const calls = (await readFile(log, 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(calls).toEqual(EXPECTED_CURLS);
      expect(await exists(path.join(cwd, 'PWNED'))).toBe(false);
    },
  );

  it('gives envoy.yaml and docker-compose.yaml that read back with the hostile values exactly', async () => {
    const envoy = yaml.load(await readFile(path.join(bundle, 'envoy.yaml'), 'utf8')) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const filters = envoy.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters;
    expect(JSON.parse(filters[0].typed_config.value.config.configuration.value)).toEqual({
      tag: TAG,
      note: NOTE,
    });

    const compose = yaml.load(await readFile(path.join(bundle, 'docker-compose.yaml'), 'utf8')) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(Object.keys(compose.services)).toEqual(['envoy', 'httpbin']);
    expect(Object.keys(compose.services.envoy)).toEqual([
      'image',
      'entrypoint',
      'command',
      'depends_on',
      'networks',
      'ports',
      'volumes',
    ]);
    expect(compose.services.envoy.image).toBe(GATEWAY_IMAGE);
    expect(compose.services.httpbin.image).toBe(HTTPBIN_IMAGE);
    expect(compose.services.envoy.command).toMatch(
      /^-c \/etc\/envoy\/envoy\.yaml --component-log-level wasm:debug --concurrency \d$/,
    );
    expect(compose.services.envoy.ports).toEqual(['10000:10000']);
    expect(compose.services.envoy.volumes).toEqual([
      './envoy.yaml:/etc/envoy/envoy.yaml',
      './main.wasm:/etc/envoy/main.wasm',
    ]);
  });

  it('keeps the user-written files as they were sent', async () => {
    expect(await readFile(path.join(bundle, 'config.yaml'), 'utf8')).toBe(CONFIG);
    expect(JSON.parse(await readFile(path.join(bundle, 'requests.json'), 'utf8'))).toMatchObject([
      { path: PATH1, body: BODY1 },
      { path: PATH2 },
    ]);
  });
});
