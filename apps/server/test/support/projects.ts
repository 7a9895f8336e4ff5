import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A test project from test/projects/<name>, as a file map of relative paths. */
export async function project(name: string): Promise<Record<string, string>> {
  const root = path.join(here, '..', 'projects', name);
  const files: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(root, full)] = await readFile(full, 'utf8');
  }
  return files;
}
