import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileMap } from '@playground/shared';

/** Writes a validated project tree into a fresh folder, creating its sub-folders. */
export async function writeProject(dir: string, files: FileMap): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    const target = path.join(dir, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, text);
  }
}
