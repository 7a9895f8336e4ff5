// Builds the package (dist/worker.js is the isolated VM's worker entry) and all test plugins once.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_PLUGINS, buildPlugin, packageDir } from './build-plugin.js';

export default async function setup(): Promise<void> {
  execFileSync(process.execPath, [join(packageDir, '../../node_modules/typescript/bin/tsc'), '-p', join(packageDir, 'tsconfig.json')], { stdio: 'inherit' });
  for (const name of readdirSync(join(packageDir, 'test/plugins'))) await buildPlugin(name);
  for (const name of SEED_PLUGINS) await buildPlugin(name);
}
