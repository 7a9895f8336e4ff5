import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringSetting } from '../settings.js';

/** A folder setting, resolved from the working directory when relative. */
const fromSetting = (name: 'PLAYGROUND_DATA_DIR' | 'PLAYGROUND_WEB_DIST') => {
  const v = stringSetting(name);
  return v ? path.resolve(v) : undefined;
};

/** The repository root: this file sits at apps/server/{src,dist}/toolchain/. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Everything the playground downloads or produces lives under one data folder, never in ~/go. */
export function dataPaths(dataDir = fromSetting('PLAYGROUND_DATA_DIR') ?? path.join(repoRoot, '.data')) {
  return {
    dataDir,
    modCache: path.join(dataDir, 'gomodcache'),
    goCache: path.join(dataDir, 'gocache'),
    bin: path.join(dataDir, 'bin'),
    builds: path.join(dataDir, 'builds'),
    work: path.join(dataDir, 'work'),
    setupState: path.join(dataDir, 'setup-state.json'),
  };
}
export type DataPaths = ReturnType<typeof dataPaths>;

export const templateDir = path.join(repoRoot, 'packages', 'plugin-template');
export const examplesDir = path.join(repoRoot, 'examples');
export const tourDir = path.join(repoRoot, 'tour');
export const webDistDir = fromSetting('PLAYGROUND_WEB_DIST') ?? path.join(repoRoot, 'apps', 'web', 'dist');
