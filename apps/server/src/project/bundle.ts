import { yamlToConfigJson, type Scenario } from '@playground/shared';
import type { Builder } from '../compile/builder.js';
import { RunnerError, type ScenarioRunner } from '../runner.js';
import { bundleCompose, bundleCurlScript, bundleEnvoyYaml, bundleGateway } from './gateway-files.js';
import { goScenarioTest } from './go-test.js';
import { exportZip } from './zip-export.js';

export const SCENARIO_TEST = 'playground_scenario_test.go';

/**
 * The scenario as a bundle that runs outside the playground: the project, envoy.yaml and
 * docker-compose.yaml in the Higress guide's form, the requests as a curl script, and a Go test
 * asserting what the playground observed when it ran each request (through the plugin and around it).
 */
export async function exportBundle(scenario: Scenario, builder: Builder, runner: ScenarioRunner, client: string): Promise<Uint8Array> {
  const config = yamlToConfigJson(scenario.config);
  if (!config.ok) throw new RunnerError(`config.yaml line ${config.line}, column ${config.column}: ${config.error}`, { line: config.line, column: config.column });
  const { observations } = await runner.observe(scenario, client);

  const extras: Record<string, string> = {
    'envoy.yaml': bundleEnvoyYaml(config.json, bundleGateway(scenario.gateway)),
    'docker-compose.yaml': bundleCompose(bundleGateway(scenario.gateway)),
    'requests.sh': bundleCurlScript(scenario.requests),
  };
  if (observations.length) {
    const source = goScenarioTest(config.json, observations);
    const formatted = await builder.formatter.format(source);
    extras[SCENARIO_TEST] = 'source' in formatted ? formatted.source : source;
  }
  return exportZip(scenario, await moduleFor(scenario, builder, extras[SCENARIO_TEST]), extras);
}

/** go.mod/go.sum that build the sources and the scenario test offline. */
async function moduleFor(scenario: Scenario, builder: Builder, test: string | undefined) {
  const resolved = await builder.exportModule(scenario.files, test ? { [SCENARIO_TEST]: test } : {});
  if (!resolved.ok) throw new RunnerError('the test dependencies could not be resolved', { diagnostics: resolved.diagnostics });
  return { goMod: resolved.goMod, goSum: resolved.goSum };
}
