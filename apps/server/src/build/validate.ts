import type { FileMap } from '@playground/shared';
import type { BuildLimits } from './limits.js';

/** A plain Go file name: no folders, no dot-files, nothing the go tool would treat specially. */
const GO_FILE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\.go$/;

export class BadSourcesError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Checks the user's files before anything touches the disk; throws BadSourcesError naming the culprit. */
export function validateFiles(files: FileMap, limits: BuildLimits): void {
  const names = Object.keys(files);
  if (!('main.go' in files)) throw new BadSourcesError('files must contain "main.go"', 'files');
  if (names.length > limits.maxFiles) {
    throw new BadSourcesError(`too many files: ${names.length} (at most ${limits.maxFiles})`, 'files');
  }
  let total = 0;
  for (const name of names) {
    if (!GO_FILE.test(name) || name.includes('..')) {
      throw new BadSourcesError(
        `file name "${name}" is not allowed: use a plain name ending in .go (letters, digits, "_", "-", "."; no folders)`,
        `files.${name}`,
      );
    }
    if (typeof files[name] !== 'string') throw new BadSourcesError(`file "${name}" must be a string`, `files.${name}`);
    total += Buffer.byteLength(files[name]);
  }
  if (total > limits.maxTotalBytes) {
    throw new BadSourcesError(
      `sources are too large: ${total} bytes (at most ${limits.maxTotalBytes} bytes in all)`,
      'files',
    );
  }
}
