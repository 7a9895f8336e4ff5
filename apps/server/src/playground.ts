import { Builder } from './compile/builder.js';
import { ExampleCatalog } from './examples/catalog.js';
import { DockerRuntime } from './runtime/docker/docker-runtime.js';
import type { DockerStatus } from './runtime/docker/engine.js';
import { EmbeddedRuntime } from './runtime/embedded/embedded-runtime.js';
import { sessionLimits } from './runtime/limits.js';
import { ScenarioRunner } from './runner.js';
import { SessionManager } from './runtime/sessions.js';
import { HttpbinSupervisor } from './runtime/upstream/httpbin.js';
import { LlmSupervisor } from './runtime/upstream/llm/supervisor.js';
import { openShareStore } from './share/open-store.js';
import { RateLimiter } from './share/rate-limit.js';
import { startRetention } from './share/retention.js';
import type { ShareStore } from './share/store.js';
import { LocalRegistry, PostgresRegistry, type ReplicaRegistry } from './replicas/registry.js';
import { GoplsPool } from './lsp/pool.js';
import { numberSetting, stringSetting } from './settings.js';
import { recordChildrenIn } from './util/children.js';
import { dataPaths, examplesDir, tourDir } from './toolchain/paths.js';
import { TourCatalog } from './tour/catalog.js';

/** Every long-lived part of a server, created in order and stopped in reverse. */
export interface Playground {
  builder: Builder;
  examples: ExampleCatalog;
  tour: TourCatalog;
  httpbin: HttpbinSupervisor;
  /** The LLM provider stand-in, started by the first session that declares an llm service. */
  llm: LlmSupervisor;
  docker: DockerStatus;
  sessions: SessionManager;
  /** Which replica runs which session (a single server: itself). */
  registry: ReplicaRegistry;
  /** Build + session + requests as one job: run, compare, the export's observed run. */
  runner: ScenarioRunner;
  shares: ShareStore;
  shareLimiter: RateLimiter;
  /** Go intelligence: a sandboxed gopls per open project. */
  lsp: GoplsPool;
  stop(): Promise<void>;
}

export async function createPlayground(opts: { slots?: number } = {}): Promise<Playground> {
  const paths = dataPaths();
  recordChildrenIn(paths.dataDir);
  const builder = await Builder.create({ paths, slots: opts.slots });
  const lsp = await GoplsPool.create(builder);
  const httpbin = new HttpbinSupervisor(paths.bin);
  await httpbin.ready();
  const limits = sessionLimits();
  const llm = new LlmSupervisor();
  const embedded = new EmbeddedRuntime(httpbin, llm, {
    memoryMaxMiB: limits.vmMemoryMiB,
    callbackTimeoutMs: limits.callbackTimeoutMs,
    streamTimeoutMs: limits.streamTimeoutMs,
    tickBudgetPercent: limits.tickBudgetPercent,
    requestBodyBytes: limits.requestBodyBytes,
    maxHeaders: limits.maxHeaders,
    inFlight: limits.inFlight,
    redisMemoryMiB: limits.redisMemoryMiB,
  });
  // The docker runtime is offered only when an engine answers and holds the images.
  const docker = await DockerRuntime.detect(paths.dataDir);
  await embedded.warm();
  // Several replicas behind a load balancer share sessions' owners and builds through PostgreSQL.
  const databaseUrl = stringSetting('DATABASE_URL');
  const self = stringSetting('PLAYGROUND_REPLICA_URL');
  const registry = databaseUrl && self ? await PostgresRegistry.open(databaseUrl, self) : new LocalRegistry();
  builder.shareBuildsWith(registry);
  lsp.shareOwnershipWith(registry);
  const sessions = new SessionManager(
    { embedded, ...(docker.runtime ? { docker: docker.runtime } : {}) },
    limits,
    (id) => builder.wasmFor(id),
    docker.status.reason ? { docker: docker.status.reason } : {},
    registry,
  );
  const shares = await openShareStore(paths);
  const stopRetention = startRetention(shares);
  const perMinute = numberSetting('PLAYGROUND_SHARES_PER_MINUTE');
  return {
    builder,
    examples: new ExampleCatalog(examplesDir),
    tour: new TourCatalog(tourDir),
    httpbin,
    llm,
    docker: docker.status,
    sessions,
    registry,
    runner: new ScenarioRunner(builder, sessions),
    shares,
    shareLimiter: new RateLimiter(perMinute, perMinute),
    lsp,
    async stop() {
      await lsp.stop();
      await sessions.closeAll();
      await registry.close();
      await embedded.stop();
      await httpbin.stop();
      stopRetention();
      await shares.close();
      await builder.close();
    },
  };
}
