// The scenario runner: the one place where a build, a session and requests make a job. Each job the
// API offers is a method: `run` (the Run button), `compare` (both runtimes), `observe` (what an
// export's test asserts), `check` (a tour exercise). Routes only parse and answer.
import type { DownstreamSink } from '@playground/proxy-wasm-host';
import { evaluateExpectation, type BuildResult, type CheckRequest, type CheckResult, type Exchange, type HttpRequestMessage, type RunRequest, type RunResult, type RuntimeName, type Scenario, type SessionInfo } from '@playground/shared';
import type { Builder } from './compile/builder.js';
import { compareExchanges, type Difference } from './runtime/docker/compare.js';
import { SessionError, type SessionManager } from './runtime/sessions.js';
import type { Observation } from './project/go-test.js';

/** A job that could not be done for a reason the user can act on (the route answers 422). */
export class RunnerError extends Error {
  constructor(
    message: string,
    readonly extra: { diagnostics?: BuildResult['diagnostics']; line?: number; column?: number; logs?: unknown[] } = {},
  ) {
    super(message);
  }
}

/** What a run reports as it goes (the streamed /api/run). */
export interface RunProgress {
  signal?: AbortSignal;
  onBuild?(build: BuildResult): void;
  onSession?(session: SessionInfo): void;
  /** Sees the first response as it streams. */
  downstream?: DownstreamSink;
}

interface Side {
  session: SessionInfo | null;
  exchange: Exchange | null;
  error?: string;
}

export interface CompareResult {
  build: BuildResult;
  embedded: Side | null;
  docker: Side | null;
  /** Left is embedded, right is docker. */
  differences: Difference[];
}

export class ScenarioRunner {
  constructor(
    private readonly builder: Builder,
    private readonly sessions: SessionManager,
  ) {}

  /**
   * The Run button: build (or hit the cache), replace the client's previous session, start one with
   * the config, send the first request. The status is what the API answers: a config the YAML parser
   * or the plugin rejects is an answer like a failed build (200, the failing part says why); limits
   * and unknown ids keep theirs.
   */
  async run(body: RunRequest, request: HttpRequestMessage, client: string, progress: RunProgress = {}): Promise<{ status: number; result: RunResult }> {
    const build = await this.builder.build(body.files, { signal: progress.signal, client });
    progress.onBuild?.(build);
    const result: RunResult = { build, session: null, exchange: null };
    if (!build.ok) return { status: 200, result };
    try {
      // A draining server refuses before the previous session is ended, so the client keeps it.
      this.sessions.refuseWhenDraining();
      // Only the client's own previous session is replaced; another's id is ignored.
      if (body.sessionId && this.sessions.ownedBy(body.sessionId, client)) {
        await this.sessions.end(body.sessionId, 'replaced by a new run');
        result.replaced = body.sessionId;
      }
      result.session = await this.sessions.create({ client, buildId: build.buildId, config: body.config, runtime: body.runtime, services: body.services, clock: body.clock, gateway: body.gateway });
      progress.onSession?.(result.session);
      result.exchange = await this.sessions.exchange(result.session.sessionId, request, progress.downstream ? { downstream: progress.downstream } : {});
    } catch (err) {
      if (!(err instanceof SessionError)) throw err;
      result.error = { error: err.message, ...err.extra };
      return { status: err.status === 422 ? 200 : err.status, result };
    }
    return { status: 200, result };
  }

  /** Builds once, runs the request in a fresh session of each runtime, ends both, and lists where the exchanges differ. */
  async compare(body: Omit<RunRequest, 'runtime' | 'sessionId'>, request: HttpRequestMessage, client: string): Promise<CompareResult> {
    const build = await this.builder.build(body.files, { client });
    const result: CompareResult = { build, embedded: null, docker: null, differences: [] };
    if (!build.ok) return result;
    const side = async (runtime: RuntimeName): Promise<Side> => {
      let session: SessionInfo | null = null;
      try {
        session = await this.sessions.create({ client, buildId: build.buildId, config: body.config, runtime, services: body.services, clock: body.clock, gateway: body.gateway });
        return { session, exchange: await this.sessions.exchange(session.sessionId, request) };
      } catch (err) {
        if (!(err instanceof SessionError)) throw err;
        return { session, exchange: null, error: err.message };
      } finally {
        if (session) await this.sessions.end(session.sessionId, 'comparison done');
      }
    };
    [result.embedded, result.docker] = await Promise.all([side('embedded'), side('docker')]);
    if (result.embedded.exchange && result.docker.exchange) result.differences = compareExchanges(result.embedded.exchange, result.docker.exchange);
    return result;
  }

  /**
   * Each request of a scenario through the plugin and around it, in a fresh one-worker session (the
   * exported Go test runs the plugin in one VM, as wasm-go's test host does).
   */
  async observe(scenario: Scenario, client: string): Promise<{ build: BuildResult & { ok: true }; observations: Observation[] }> {
    const build = await this.builder.build(scenario.files, { client });
    if (!build.ok) throw new RunnerError('the plugin does not build; fix it before exporting', { diagnostics: build.diagnostics });
    const observations: Observation[] = [];
    if (!scenario.requests.length) return { build, observations };
    const session = await this.sessions
      .create({ client, buildId: build.buildId, config: scenario.config, runtime: 'embedded', services: scenario.services ?? [], gateway: { ...(scenario.gateway ?? { profile: 'higress' }), workers: 1 } })
      .catch((err) => {
        throw err instanceof SessionError ? new RunnerError(err.message, err.extra) : err;
      });
    try {
      for (const [i, request] of scenario.requests.entries()) {
        const { withPlugin, effect } = await this.sessions.pluginEffect(session.sessionId, request).catch((err) => {
          throw err instanceof SessionError ? new RunnerError(`request ${i + 1} could not be run: ${err.message}`) : err;
        });
        observations.push({ name: request.name || `${i + 1} ${request.method} ${request.path}`, request, withPlugin, effect });
      }
    } finally {
      await this.sessions.end(session.sessionId, 'export done');
    }
    return { build, observations };
  }

  /**
   * A tour exercise: build, start a session, send the requests in order, and say for each
   * expectation whether it held and, when not, what was seen instead.
   */
  async check(body: CheckRequest, client: string): Promise<CheckResult> {
    const build = await this.builder.build(body.files, { client });
    if (!build.ok) return { passed: false, results: [], error: 'the code does not build', build: { ok: false, output: build.output } };
    let session: SessionInfo;
    try {
      session = await this.sessions.create({ client, buildId: build.buildId, config: body.config, runtime: 'embedded', services: body.services ?? [], gateway: body.gateway ?? { profile: 'higress' } });
    } catch (err) {
      if (!(err instanceof SessionError)) throw err;
      // The plugin did not start (a bad config, a panic at start): every expectation fails with why.
      return { passed: false, results: body.expectations.map((e) => ({ description: e.description, passed: false, seen: err.message })), error: err.message, build: { ok: true } };
    }
    try {
      const exchanges: Exchange[] = [];
      for (const request of body.requests) exchanges.push(await this.sessions.exchange(session.sessionId, request));
      const results = body.expectations.map((e) => ({ description: e.description, ...evaluateExpectation(e, exchanges[e.request]) }));
      return { passed: results.every((r) => r.passed), results, build: { ok: true } };
    } finally {
      await this.sessions.end(session.sessionId, 'check done');
    }
  }
}
