import { zipSync, strToU8 } from 'fflate';
import type { Scenario } from '@playground/shared';

/**
 * A project as a .zip that builds as it is with the Higress guide's command: the sources, the
 * go.mod/go.sum to build them with, the config and requests, any extra files (the gateway setup and
 * the scenario test of a bundle), and a README saying how.
 */
export function exportZip(
  scenario: Scenario,
  module: { goMod: string; goSum: string },
  extras: Record<string, string> = {},
  folder = 'plugin',
): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  const put = (name: string, text: string) => (entries[`${folder}/${name}`] = strToU8(text));
  for (const [name, text] of Object.entries(scenario.files)) put(name, text);
  put('go.mod', module.goMod);
  put('go.sum', module.goSum);
  put('config.yaml', scenario.config);
  put('requests.json', JSON.stringify(scenario.requests, null, 2) + '\n');
  for (const [name, text] of Object.entries(extras)) put(name, text);
  put('README.md', readme(Object.keys(extras)));
  return zipSync(entries, { level: 6 });
}

function readme(extras: string[]): string {
  const has = (f: string) => extras.some((e) => e === f || e.endsWith(f));
  return [
    '# Higress WASM Go plugin',
    '',
    'Exported from the Higress WASM plugin playground. With Go 1.24 or newer:',
    '',
    '```sh',
    'GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o main.wasm ./',
    ...(has('_test.go') ? ['go test ./...        # replays the scenario with the wasm-go test framework'] : []),
    ...(has('docker-compose.yaml') ? ['docker compose up   # the Higress gateway with this plugin, in front of httpbin'] : []),
    ...(has('requests.sh') ? ['sh requests.sh       # in another terminal: the scenario\'s requests through the gateway'] : []),
    '```',
    '',
    '`config.yaml` is the plugin configuration as the Higress console takes it; `envoy.yaml` holds the',
    'same configuration as JSON, the way the gateway hands it to the plugin.',
    '',
  ].join('\n');
}
