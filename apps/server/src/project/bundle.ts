import { yamlToConfigJson, type Diagnostic, type Scenario } from '@playground/shared';
import type { Builder } from '../build/builder.js';
import { SessionError, type SessionManager } from '../runtime/sessions.js';
import { bundleCompose, bundleCurlScript, bundleEnvoyYaml, bundleGateway } from './gateway-files.js';
import { goScenarioTest, type Observation } from './go-test.js';
import { exportZip } from './zip-export.js';

export const SCENARIO_TEST = 'playground_scenario_test.go';

export class BundleError extends Error {
  constructor(
    message: string,
    readonly extra: { diagnostics?: Diagnostic[]; line?: number; column?: number } = {},
  ) {
    super(message);
  }
}

/**
 * The scenario as a bundle that runs outside the playground: the project, envoy.yaml and
 * docker-compose.yaml in the Higress guide's form, the requests as a curl script, and a Go test
 * asserting what the playground observed when it ran each request (through the plugin and around it).
 */
export async function exportBundle(scenario: Scenario, builder: Builder, sessions: SessionManager, client: string): Promise<Uint8Array> {
  const config = yamlToConfigJson(scenario.config);
  if (!config.ok) throw new BundleError(`config.yaml line ${config.line}, column ${config.column}: ${config.error}`, config);
  const build = await builder.build(scenario.files);
  if (!build.ok) throw new BundleError('the plugin does not build; fix it before exporting', { diagnostics: build.diagnostics });

  const observations: Observation[] = [];
  if (scenario.requests.length) {
    const session = await sessions
      // One worker: the exported Go test runs the plugin in one VM, as wasm-go's test host does.
      .create({
        client,
        buildId: build.buildId,
        config: scenario.config,
        runtime: 'embedded',
        services: scenario.services ?? [],
        gateway: { ...(scenario.gateway ?? { profile: 'higress' }), workers: 1 },
      })
      .catch((err) => {
        throw err instanceof SessionError ? new BundleError(err.message, err.extra) : err;
      });
    try {
      for (const [i, request] of scenario.requests.entries()) {
        const { withPlugin, effect } = await sessions.pluginEffect(session.sessionId, request).catch((err) => {
          throw err instanceof SessionError ? new BundleError(`request ${i + 1} could not be run: ${err.message}`) : err;
        });
        observations.push({ name: request.name || `${i + 1} ${request.method} ${request.path}`, request, withPlugin, effect });
      }
    } finally {
      await sessions.end(session.sessionId, 'export done');
    }
  }

  const extras: Record<string, string> = {
    'envoy.yaml': bundleEnvoyYaml(config.json, bundleGateway(scenario.gateway)),
    'docker-compose.yaml': bundleCompose(bundleGateway(scenario.gateway)),
    'requests.sh': bundleCurlScript(scenario.requests),
  };
  if (observations.length) {
    const source = goScenarioTest(config.json, observations);
    const formatted = await builder.format(source);
    extras[SCENARIO_TEST] = 'source' in formatted ? formatted.source : source;
  }
  return exportZip(scenario, await moduleFor(scenario, builder, extras[SCENARIO_TEST]), extras);
}

/** go.mod/go.sum that build the sources and the scenario test offline. */
async function moduleFor(scenario: Scenario, builder: Builder, test: string | undefined) {
  if (!('go.mod' in scenario.files)) return builder.exportModuleFiles;
  const files = test ? { ...scenario.files, [SCENARIO_TEST]: test } : scenario.files;
  const resolved = await builder.resolver.resolve(files, (job) => builder.queue.run(job), true);
  if (!resolved.ok) throw new BundleError('the test dependencies could not be resolved', { diagnostics: resolved.diagnostics });
  return { goMod: resolved.goMod, goSum: resolved.goSum };
}
