import { checkFiles, type FileMap } from '@playground/shared';
import type { BuildLimits } from './limits.js';

export class BadSourcesError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * Checks a project tree before anything touches the disk, with the rules the editor uses
 * (@playground/shared checkFiles). Throws BadSourcesError naming the offending path.
 */
export function validateFiles(files: FileMap, limits: BuildLimits): void {
  const wrong = checkFiles(files, limits);
  if (wrong) throw new BadSourcesError(wrong.message, wrong.field);
}
