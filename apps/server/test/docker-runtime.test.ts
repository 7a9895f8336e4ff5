import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerCommand, detectContainerSandbox } from '../src/compile/container-sandbox.js';
import { DockerRuntime } from '../src/runtime/docker/docker-runtime.js';
import { detectDocker, dockerClient, dockerSettings, instanceId, LABEL } from '../src/runtime/docker/engine.js';
import { dataPaths } from '../src/toolchain/paths.js';
import { example, header } from './support/plugins.js';
import { startServer, type TestServer } from './support/server.js';

const settings = dockerSettings();
const engine = await detectDocker(dockerClient(), [settings.gatewayImage, settings.httpbinImage]);
if (!engine.available) {
  console.warn(`[docker tests] SKIPPING the container lifecycle tests: ${engine.reason}`);
}

const mounts = { go: { version: 'go1.24.0', goroot: '/usr/lib/go', goBinary: '/usr/lib/go/bin/go' }, modCache: '/data/mod', goCache: '/data/cache', workDir: '/data/work/b1' };

describe('container builds (PLAYGROUND_BUILD_RUNTIME=docker)', () => {
  it('runs go in the build image with no network, read-only caches and the build caps', () => {
    const cmd = containerCommand(mounts, ['go', 'build', '-o', 'main.wasm', '.'], {}, 'golang:1.24');
    expect(cmd.file).toBe('docker');
    const a = cmd.args;
    const after = (flag: string) => a.flatMap((x, i) => (x === flag ? [a[i + 1]] : []));
    expect(a.slice(0, 3)).toEqual(['run', '--rm', '-i']);
    expect(after('--network')).toEqual(['none']);
    expect(after('-v')).toEqual(['/data/mod:/gomodcache:ro', '/data/cache:/gocache', '/data/work/b1:/src']);
    expect(after('--memory')).toHaveLength(1);
    expect(after('--cap-drop')).toEqual(['ALL']);
    expect(a).toContain('--read-only');
    expect(after('-e')).toEqual(expect.arrayContaining(['GOPROXY=off', 'GOOS=wasip1', 'GOARCH=wasm', 'GOTOOLCHAIN=local', 'GOMODCACHE=/gomodcache']));
    const image = a.indexOf('golang:1.24');
    expect(a.slice(image + 1, image + 4)).toEqual(['timeout', '-s', 'KILL']);
    expect(a.slice(image + 5)).toEqual(['/usr/local/go/bin/go', 'build', '-o', 'main.wasm', '.']);
    expect(cmd.scrub).toContainEqual(['/src', '.']);
  });

  it('gives the dependency step network and a writable module cache only when asked', () => {
    const a = containerCommand(mounts, ['go', 'mod', 'download'], { network: true, writableModCache: true, env: { GOPROXY: 'https://proxy.example' } }).args;
    expect(a[a.indexOf('--network') + 1]).toBe('bridge');
    expect(a).toContain('/data/mod:/gomodcache');
    expect(a).toContain('GOPROXY=https://proxy.example');
  });

  it.skipIf(engine.available)('is reported unavailable, with the reason, when no engine answers', async () => {
    const s = await detectContainerSandbox(mounts);
    expect(s).toMatchObject({ mode: 'docker', available: false });
    expect(s.reason).toMatch(/PLAYGROUND_BUILD_RUNTIME=docker.*golang:1\.24/);
  });
});

describe('the docker runtime through the API', () => {
  let server: TestServer;
  let buildId: string;
  beforeAll(async () => {
    server = await startServer();
    const { json } = await server.post('/api/build', { files: (await example('hello-world')).files });
    expect(json.ok, json.output).toBe(true);
    buildId = json.buildId;
  });
  afterAll(() => server?.close());

  it('/api/health reports the engine and the images', async () => {
    const health = await (await server.get('/api/health')).json();
    expect(health.runtimes).toEqual({ embedded: true, docker: engine.available });
    expect(health.docker.available).toBe(engine.available);
    expect(Object.keys(health.docker.images)).toEqual([settings.gatewayImage, settings.httpbinImage]);
    if (!engine.available) expect(health.docker.reason).toMatch(/Docker engine|docker pull/);
  });

  it.skipIf(engine.available)('does not offer the runtime without an engine: sessions 400, compare 503', async () => {
    const s = await server.post('/api/sessions', { buildId, config: '', runtime: 'docker' });
    expect(s.status).toBe(400);
    expect(s.json.error).toMatch(/^the "docker" runtime is not available on this server: .*(Docker engine|docker pull)/);
    const { files, config } = await example('hello-world');
    const c = await server.post('/api/compare', { files, config, request: { method: 'GET', path: '/get', headers: [], body: '' } });
    expect(c.status).toBe(503);
    expect(c.json.error).toMatch(/comparing needs the docker runtime.*(Docker engine|docker pull)/);
  });

  describe.skipIf(!engine.available)('with a Docker engine and the images', () => {
    const docker = dockerClient();
    const own = (sessionId?: string) => ({
      all: true,
      filters: { label: [`${LABEL.instance}=${instanceId(dataPaths().dataDir)}`, ...(sessionId ? [`${LABEL.session}=${sessionId}`] : [])] },
    });

    it('runs hello-world in the real gateway, shows its header, and removes the containers at the end', async () => {
      const { files } = await example('hello-world');
      const { status, json } = await server.post('/api/run', {
        files,
        config: 'mockEnable: false\n',
        runtime: 'docker',
        request: { method: 'GET', path: '/anything', headers: [['accept', '*/*']], body: '' },
      });
      expect(status, JSON.stringify(json.error)).toBe(200);
      const id = json.session.sessionId;
      const ex = json.exchange;
      expect(ex.localReply).toBe(false);
      expect(header(ex.upstreamRequest.headers, 'hello')).toEqual(['world']);
      expect(ex.logs.some((l: { source: string }) => l.source === 'plugin')).toBe(true);

      const containers = await docker.listContainers(own(id));
      expect(containers.map((c) => c.Labels[LABEL.role]).sort()).toEqual(['gateway', 'httpbin']);
      const gateway = await docker.getContainer(containers.find((c) => c.Labels[LABEL.role] === 'gateway')!.Id).inspect();
      expect(gateway.HostConfig.Memory).toBeGreaterThan(0);
      expect(gateway.HostConfig.NanoCpus).toBeGreaterThan(0);
      expect((gateway.HostConfig.Binds ?? []).every((b) => b.endsWith(':ro'))).toBe(true);
      expect(gateway.HostConfig.Binds).toHaveLength(2);

      const del = await fetch(`${server.url}/api/sessions/${id}`, { method: 'DELETE' });
      expect(del.status).toBe(204);
      expect(await docker.listContainers(own(id))).toEqual([]);
    });

    it('mockEnable answers locally in the real gateway', async () => {
      const { files } = await example('hello-world');
      const { json } = await server.post('/api/run', { files, config: 'mockEnable: true\n', runtime: 'docker', request: { method: 'GET', path: '/get', headers: [], body: '' } });
      expect(json.exchange).toMatchObject({ localReply: true, upstreamRequest: null, response: { status: 200, body: 'hello world' } });
      await fetch(`${server.url}/api/sessions/${json.session.sessionId}`, { method: 'DELETE' });
    });

    it('compares the embedded host with the gateway', async () => {
      const { files } = await example('hello-world');
      const { status, json } = await server.post('/api/compare', { files, config: 'mockEnable: false\n', request: { method: 'GET', path: '/anything', headers: [], body: '' } });
      expect(status).toBe(200);
      expect(json.embedded.exchange.upstreamRequest).not.toBeNull();
      expect(json.docker.exchange.upstreamRequest).not.toBeNull();
      expect(Array.isArray(json.differences)).toBe(true);
    });

    it('sweeps labelled leftovers of a crashed server', async () => {
      const leftover = await docker.createContainer({
        Image: settings.httpbinImage,
        name: `playground-leftover-${Date.now()}`,
        Labels: { [LABEL.instance]: instanceId(dataPaths().dataDir), [LABEL.session]: 'crashed', [LABEL.role]: 'httpbin' },
      });
      const runtime = new DockerRuntime(docker, settings, `${dataPaths().dataDir}/docker-sessions`, instanceId(dataPaths().dataDir));
      const swept = await runtime.sweep();
      expect(swept.containers).toBeGreaterThanOrEqual(1);
      await expect(leftover.inspect()).rejects.toMatchObject({ statusCode: 404 });
    });
  });
});
