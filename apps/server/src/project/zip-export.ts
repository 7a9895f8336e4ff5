import { zipSync, strToU8 } from 'fflate';
import type { Scenario } from '@playground/shared';

/**
 * A project as a .zip that builds as it is with the Higress guide's command: the sources, the
 * go.mod/go.sum it was built with, the config and requests, and a README saying how.
 */
export function exportZip(scenario: Scenario, module: { goMod: string; goSum: string }, folder = 'plugin'): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  const put = (name: string, text: string) => (entries[`${folder}/${name}`] = strToU8(text));
  for (const [name, text] of Object.entries(scenario.files)) put(name, text);
  if (!('go.mod' in scenario.files)) put('go.mod', module.goMod);
  if (!('go.sum' in scenario.files)) put('go.sum', module.goSum);
  put('config.yaml', scenario.config);
  put('requests.json', JSON.stringify(scenario.requests, null, 2) + '\n');
  put(
    'README.md',
    [
      '# Higress WASM Go plugin',
      '',
      'Exported from the Higress WASM plugin playground. Build it with Go 1.24 or newer:',
      '',
      '```sh',
      'go mod tidy',
      'GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o main.wasm ./',
      '```',
      '',
      '`config.yaml` is the plugin configuration (the gateway console takes it as is); `requests.json`',
      'holds the requests of the scenario.',
      '',
    ].join('\n'),
  );
  return zipSync(entries, { level: 6 });
}
