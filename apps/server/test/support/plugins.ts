import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { examplesDir } from '../../src/toolchain/paths.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The files, config and declared services of an example plugin, as the gallery serves them. */
export async function example(name: string): Promise<{ files: Record<string, string>; config: string; services: unknown[] }> {
  const dir = path.join(examplesDir, name);
  const services = await readFile(path.join(dir, 'services.json'), 'utf8').catch(() => '[]');
  return {
    files: { 'main.go': await readFile(path.join(dir, 'main.go'), 'utf8') },
    config: await readFile(path.join(dir, 'config.yaml'), 'utf8'),
    services: JSON.parse(services),
  };
}

/** A test plugin of the host package (packages/proxy-wasm-host/test/plugins/<name>/main.go). */
export async function hostTestPlugin(name: string): Promise<Record<string, string>> {
  return { 'main.go': await readFile(path.join(here, '..', '..', '..', '..', 'packages', 'proxy-wasm-host', 'test', 'plugins', name, 'main.go'), 'utf8') };
}

/** A test plugin from test/plugins/<name>/main.go. */
export async function testPlugin(name: string): Promise<Record<string, string>> {
  return { 'main.go': await readFile(path.join(here, '..', 'plugins', name, 'main.go'), 'utf8') };
}

export const header = (headers: [string, string][], name: string) =>
  headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
