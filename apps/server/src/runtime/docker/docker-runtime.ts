import { randomUUID } from 'node:crypto';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { resolveProfile } from '@playground/proxy-wasm-host';
import { bodyBytes, bytesToBody, type Exchange, type GatewayProfile, type HttpRequestMessage, type LogEntry } from '@playground/shared';
import { log } from '../../util/log.js';
import type { ExchangeOptions, Runtime, RuntimeSession, SessionStart } from '../runtime.js';
import { forward } from '../upstream/forward.js';
import { detectDocker, dockerClient, dockerSettings, instanceId, LABEL, type DockerSettings, type DockerStatus } from './engine.js';
import { ADMIN_PORT, envoyYaml, GATEWAY_PATHS, LISTENER_PORT } from './envoy-config.js';
import { failedDockerExchange, toDockerExchange } from './exchange.js';
import { EnvoyLogParser, toLogEntry, type EnvoyRecord } from './log-parser.js';

/** The Higress guide's command line: Envoy with the generated config and the wasm logs at debug. */
export const GATEWAY_ENTRYPOINT = ['/usr/local/bin/envoy'];
/** ... with the session's worker threads, so the gateway runs as many plugin VMs as the embedded host. */
export const gatewayCommand = (workers: number) => ['-c', GATEWAY_PATHS.envoyYaml, '--component-log-level', 'wasm:debug', '--concurrency', String(workers)];

/** Log lines arriving after the response are still the exchange's; this long we wait for them. */
const LOG_SETTLE_MS = 150;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readAll(read: () => Promise<{ data?: Uint8Array; end: boolean }>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const c = await read();
    if (c.data) parts.push(c.data);
    if (c.end) return new Uint8Array(Buffer.concat(parts));
  }
}

/**
 * The real gateway: per session, a private network with an httpbin container and the Higress
 * gateway image running Envoy with a generated envoy.yaml and the session's main.wasm, the only two
 * host files it sees (read-only). Everything it creates is labelled with this server's instance and
 * the session, removed when the session ends, and swept at start-up after a crash.
 */
export class DockerRuntime implements Runtime {
  readonly name = 'docker' as const;

  constructor(
    private readonly docker: Docker,
    readonly settings: DockerSettings,
    private readonly sessionsDir: string,
    private readonly instance: string,
  ) {}

  /** Detects the engine and images; when both are there, sweeps leftovers and returns the runtime. */
  static async detect(dataDir: string): Promise<{ status: DockerStatus; runtime: DockerRuntime | null }> {
    const docker = dockerClient();
    const settings = dockerSettings();
    const status = await detectDocker(docker, [settings.gatewayImage, settings.httpbinImage]);
    if (!status.available) {
      log.info('docker.unavailable', { reason: status.reason });
      return { status, runtime: null };
    }
    const runtime = new DockerRuntime(docker, settings, path.join(dataDir, 'docker-sessions'), instanceId(dataDir));
    await runtime.sweep();
    log.info('docker.ready', { engine: status.engineVersion, gatewayImage: settings.gatewayImage, httpbinImage: settings.httpbinImage });
    return { status, runtime };
  }

  private get ownLabel(): string {
    return `${LABEL.instance}=${this.instance}`;
  }

  /** Removes every container and network this server left behind (a crash, a kill -9). */
  async sweep(): Promise<{ containers: number; networks: number }> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [this.ownLabel] } });
    await Promise.allSettled(containers.map((c) => this.docker.getContainer(c.Id).remove({ force: true })));
    const networks = await this.docker.listNetworks({ filters: { label: [this.ownLabel] } });
    await Promise.allSettled(networks.map((n) => this.docker.getNetwork(n.Id).remove()));
    await rm(this.sessionsDir, { recursive: true, force: true });
    if (containers.length || networks.length) log.warn('docker.swept', { containers: containers.length, networks: networks.length });
    return { containers: containers.length, networks: networks.length };
  }

  async start(opts: SessionStart): Promise<RuntimeSession> {
    const session = new DockerSession(this.docker, this.settings, opts, path.join(this.sessionsDir, opts.sessionId), {
      [LABEL.instance]: this.instance,
      [LABEL.session]: opts.sessionId,
    });
    try {
      await session.launch();
    } catch (err) {
      await session.close();
      throw err;
    }
    return session;
  }
}

class DockerSession implements RuntimeSession {
  configured = false;
  startError?: string;
  readonly startLogs: LogEntry[] = [];
  private network: Docker.Network | null = null;
  private containers: Docker.Container[] = [];
  private logStream: NodeJS.ReadableStream | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private parsers = [new EnvoyLogParser(), new EnvoyLogParser()];
  /** The last error lines of any component: why Envoy refused to start, in its own words. */
  private errors: string[] = [];
  private collectors = new Set<LogEntry[]>();
  private started = false;
  private closing = false;
  private exitCode: number | null = null;
  private containerUrl = '';
  /** The gateway settings the generated envoy.yaml and command line carry. */
  readonly gateway: GatewayProfile;

  constructor(
    private readonly docker: Docker,
    private readonly settings: DockerSettings,
    private readonly opts: SessionStart,
    private readonly dir: string,
    private readonly labels: Record<string, string>,
  ) {
    const { profile, ...overrides } = opts.gateway;
    this.gateway = resolveProfile(profile, overrides);
  }

  private get id(): string {
    return this.opts.sessionId;
  }

  /** Creates the network and both containers, starts them, and waits until Envoy is ready or gives up. */
  async launch(): Promise<void> {
    const s = this.settings;
    if (this.opts.services.length) {
      this.emit({
        level: 'warn',
        message: 'mock services are not served in the docker runtime: the gateway only knows the httpbin cluster',
        time: new Date().toISOString(),
        source: 'host',
      });
    }
    await this.writeFiles();
    const networkName = `playground-${this.id}`;
    this.network = await this.docker.createNetwork({ Name: networkName, Driver: 'bridge', Labels: this.labels, CheckDuplicate: true });
    const httpbinPort = `${s.httpbinPort}/tcp`;
    const httpbin = await this.create('httpbin', {
      Image: s.httpbinImage,
      ExposedPorts: { [httpbinPort]: {} },
      HostConfig: { ...this.hostConfig(networkName), PortBindings: { [httpbinPort]: [this.binding()] } },
      NetworkingConfig: { EndpointsConfig: { [networkName]: { Aliases: ['httpbin'] } } },
    });
    const listener = `${LISTENER_PORT}/tcp`;
    const admin = `${ADMIN_PORT}/tcp`;
    const gateway = await this.create('gateway', {
      Image: s.gatewayImage,
      Entrypoint: GATEWAY_ENTRYPOINT,
      Cmd: gatewayCommand(this.gateway.workers),
      ExposedPorts: { [listener]: {}, [admin]: {} },
      HostConfig: {
        ...this.hostConfig(networkName),
        Binds: [
          `${path.join(this.dir, 'envoy.yaml')}:${GATEWAY_PATHS.envoyYaml}:ro`,
          `${path.join(this.dir, 'main.wasm')}:${GATEWAY_PATHS.wasm}:ro`,
        ],
        PortBindings: { [listener]: [this.binding()], [admin]: [this.binding()] },
      },
    });
    await httpbin.start();
    await gateway.start();
    void gateway.wait().then(
      (r: { StatusCode: number }) => this.onExit(r.StatusCode),
      () => this.onExit(-1),
    );
    await this.followLogs(gateway);
    const ports = async (c: Docker.Container, port: string) => (await c.inspect()).NetworkSettings.Ports[port]?.[0]?.HostPort;
    const base = (port: string | undefined) => `http://${s.publishHost}:${port}`;
    this.containerUrl = base(await ports(gateway, listener));
    const ready = await this.waitReady(base(await ports(gateway, admin)) + '/ready', base(await ports(httpbin, httpbinPort)) + '/status/200');
    this.flushLogs();
    this.started = true;
    if (ready) {
      this.configured = true;
      log.info('docker.session.ready', { sessionId: this.id, gatewayUrl: this.containerUrl });
    } else {
      // Envoy exits when a filter cannot be created, which is what a plugin rejecting its config causes.
      const why = this.errors.length ? this.errors.join('\n') : `Envoy exited with code ${this.exitCode}`;
      this.startError = `the gateway did not start: ${why}`;
      log.info('docker.session.start-failed', { sessionId: this.id, exitCode: this.exitCode });
    }
  }

  private async writeFiles(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // The gateway image runs Envoy as its own user: the files must be world-readable.
    await chmod(this.dir, 0o755);
    const files: [string, string | Uint8Array][] = [
      ['main.wasm', await this.opts.wasm()],
      ['envoy.yaml', envoyYaml({ configJson: this.opts.configJson, httpbinHost: 'httpbin', httpbinPort: this.settings.httpbinPort, gateway: this.gateway })],
    ];
    for (const [name, content] of files) {
      await writeFile(path.join(this.dir, name), content);
      await chmod(path.join(this.dir, name), 0o644);
    }
  }

  private binding() {
    // Only the server needs these ports: bind them to loopback unless the engine is remote.
    return { HostIp: this.settings.publishHost === '127.0.0.1' ? '127.0.0.1' : '0.0.0.0', HostPort: '' };
  }

  private hostConfig(networkName: string): Docker.HostConfig {
    return {
      NetworkMode: networkName,
      Memory: this.settings.memoryMiB * 1024 * 1024,
      MemorySwap: this.settings.memoryMiB * 1024 * 1024,
      NanoCpus: Math.round(this.settings.cpus * 1e9),
      PidsLimit: 256,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
    };
  }

  private async create(role: string, spec: Docker.ContainerCreateOptions): Promise<Docker.Container> {
    const c = await this.docker.createContainer({
      ...spec,
      name: `playground-${this.id}-${role}`,
      Labels: { ...this.labels, [LABEL.role]: role },
    });
    this.containers.push(c);
    return c;
  }

  private async followLogs(gateway: Docker.Container): Promise<void> {
    const stream = await gateway.logs({ follow: true, stdout: true, stderr: true });
    this.logStream = stream;
    // Without a TTY the engine multiplexes stdout and stderr; each gets its own parser so that
    // half-lines of one never join the other.
    const outs = this.parsers.map((parser) => {
      const out = new PassThrough();
      out.on('data', (chunk: Buffer) => {
        parser.push(chunk.toString('utf8')).forEach((r) => this.onRecord(r));
        // A record is complete when the next starts; after a quiet moment, it is complete anyway.
        if (this.flushTimer) clearTimeout(this.flushTimer);
        this.flushTimer = setTimeout(() => this.flushLogs(), 50);
      });
      return out;
    });
    this.docker.modem.demuxStream(stream, outs[0], outs[1]);
    stream.on('error', (err: Error) => log.warn('docker.logs.error', { sessionId: this.id, message: err.message }));
  }

  private flushLogs(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.parsers.forEach((p) => p.flush().forEach((r) => this.onRecord(r)));
  }

  private onRecord(r: EnvoyRecord): void {
    if (r.level === 'error' || r.level === 'critical') this.errors = [...this.errors.slice(-4), `[${r.component}] ${r.message}`];
    const entry = toLogEntry(r);
    if (entry) this.emit(entry);
  }

  private emit(entry: LogEntry): void {
    if (!this.started) this.startLogs.push(entry);
    this.collectors.forEach((c) => c.push(entry));
    this.opts.onLog(entry);
  }

  private onExit(code: number): void {
    this.exitCode = code;
    if (this.closing || !this.started) return;
    const why = this.errors.length ? `: ${this.errors.join('\n')}` : '';
    log.warn('docker.session.gateway-exited', { sessionId: this.id, code });
    this.opts.onFailure(`the gateway container exited with code ${code}${why}`);
  }

  /** True when Envoy reports ready and httpbin answers; false when Envoy exits first. */
  private async waitReady(envoyReady: string, httpbinReady: string): Promise<boolean> {
    const deadline = Date.now() + this.settings.startTimeoutMs;
    const answers = (url: string) =>
      fetch(url, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      );
    let envoy = false;
    let httpbin = false;
    while (Date.now() < deadline) {
      if (this.exitCode !== null) return false;
      envoy ||= await answers(envoyReady);
      httpbin ||= await answers(httpbinReady);
      if (envoy && httpbin) return true;
      await sleep(100);
    }
    throw new Error(
      `the gateway was not ready within ${this.settings.startTimeoutMs} ms (Envoy ${envoy ? 'ready' : 'not ready'}, httpbin ${httpbin ? 'answering' : 'not answering'})`,
    );
  }

  async handle(request: HttpRequestMessage, opts: ExchangeOptions = {}): Promise<Exchange> {
    const started = performance.now();
    // A client on the session's port: the real gateway gets the whole body at once.
    if (opts.live?.readBody) request = { ...request, body: bytesToBody(await readAll(opts.live.readBody)) };
    // Our own request id, which Envoy keeps and wasm-go prints in every line: it ties lines to this exchange.
    const requestId = request.headers.find(([k]) => k.toLowerCase() === 'x-request-id')?.[1] ?? randomUUID();
    const authority = request.headers.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? opts.authority ?? 'playground.local';
    const headers: [string, string][] = [
      ['host', authority],
      ...request.headers.filter(([k]) => k.toLowerCase() !== 'host').map(([k, v]): [string, string] => [k.toLowerCase(), v]),
    ];
    if (!headers.some(([k]) => k === 'x-request-id')) headers.push(['x-request-id', requestId]);
    const sent: HttpRequestMessage = { method: request.method.toUpperCase(), path: request.path, headers, body: request.body };
    const lines: LogEntry[] = [];
    this.collectors.add(lines);
    try {
      const response = await forward(this.containerUrl, { ...sent, authority, body: bodyBytes(request.body) }).catch((err: Error) => err);
      await sleep(LOG_SETTLE_MS);
      this.flushLogs();
      // Lines of concurrent exchanges carry their own ids; lines with none (ticks, host lines) are kept.
      const logs = lines.filter((e) => !e.requestId || e.requestId === requestId);
      const durationMs = performance.now() - started;
      if (response instanceof Error) {
        return failedDockerExchange(sent, requestId, `the gateway did not answer: ${response.message}`, logs, durationMs);
      }
      return toDockerExchange({ request: sent, response, requestId, logs, durationMs });
    } finally {
      this.collectors.delete(lines);
    }
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    (this.logStream as (NodeJS.ReadableStream & { destroy?: () => void }) | null)?.destroy?.();
    await Promise.allSettled(this.containers.map((c) => c.remove({ force: true })));
    if (this.network) await this.network.remove().catch((err: Error) => log.warn('docker.network.remove-failed', { sessionId: this.id, message: err.message }));
    await rm(this.dir, { recursive: true, force: true });
    log.info('docker.session.removed', { sessionId: this.id, containers: this.containers.length });
  }
}
