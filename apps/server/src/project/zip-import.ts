import yauzl from 'yauzl';
import { embedPatterns, fileKind, type FileMap } from '@playground/shared';
import { BadSourcesError, validateFiles } from '../compile/validate.js';
import type { BuildLimits } from '../compile/limits.js';

export interface ImportedProject {
  files: FileMap;
  /** The root `config.yaml`, which is the plugin config rather than a file of the module. */
  config?: string;
  /** Files of the archive the build does not use (Makefile, docs, ...), left out. */
  skipped: string[];
}

/** Archive clutter dropped without a word. */
const JUNK = /(^|\/)(__MACOSX|\.DS_Store|Thumbs\.db)(\/|$)/;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Reads a project from a .zip. Hostile archives are refused with the path at fault: links, absolute
 * or parent paths, and bombs (entries whose inflated size exceeds what they declare or the caps;
 * inflating stops at the cap). A single top folder (a zipped project folder) is stripped.
 */
export async function importZip(zip: Buffer, limits: BuildLimits): Promise<ImportedProject> {
  const entries = await readEntries(zip, limits);
  const names = entries.map((e) => e.name);
  const top = names[0]?.split('/')[0];
  const strip = names.length > 0 && names.every((n) => n.startsWith(`${top}/`)) ? `${top}/` : '';
  const files: FileMap = {};
  const skipped: string[] = [];
  let config: string | undefined;
  const relative = entries.map((e) => ({ rel: e.name.slice(strip.length), text: e.text }));
  // Files the sources embed are kept whatever their extension (rules/*.conf for //go:embed rules).
  const embedded = embedPatterns(Object.fromEntries(relative.filter((e) => e.rel.endsWith('.go')).map((e) => [e.rel, e.text])));
  for (const { rel, text } of relative) {
    if (rel === 'config.yaml') config = text;
    else if (fileKind(rel, embedded)) files[rel] = text;
    else skipped.push(rel);
  }
  validateFiles(files, limits);
  return { files, config, skipped };
}

function readEntries(zip: Buffer, limits: BuildLimits): Promise<{ name: string; text: string }[]> {
  return new Promise((resolve, reject) => {
    const fail = (message: string, field?: string) => reject(new BadSourcesError(message, field));
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (err, archive) => {
      if (err || !archive) return fail(`not a readable .zip archive (${err?.message ?? 'empty'})`);
      const out: { name: string; text: string }[] = [];
      let total = 0;
      archive.on('error', (e: Error) => {
        // yauzl checks names itself; say which entry and why in our words.
        const bad = /^(?:invalid relative path|absolute path): (.*)$/.exec(e.message);
        if (bad) fail(`"${bad[1]}" points outside the project; archives may only hold relative paths`, `zip.${bad[1]}`);
        else fail(`the archive is damaged: ${e.message}`);
      });
      archive.on('end', () => resolve(out));
      archive.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (name.endsWith('/') || JUNK.test(name)) return archive.readEntry();
        if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) return fail(`"${name}" is a link; archives may only hold plain files`, `zip.${name}`);
        if (name.startsWith('/') || name.split('/').includes('..') || name.includes('\\')) {
          return fail(`"${name}" points outside the project; archives may only hold relative paths`, `zip.${name}`);
        }
        if (out.length >= limits.maxFiles) return fail(`the archive holds more than ${limits.maxFiles} files`);
        if (entry.uncompressedSize > limits.maxTotalBytes - total) {
          return fail(`"${name}" inflates to ${entry.uncompressedSize} bytes, over the ${limits.maxTotalBytes} byte cap`, `zip.${name}`);
        }
        archive.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(`"${name}" cannot be read: ${e?.message}`, `zip.${name}`);
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (c: Buffer) => {
            size += c.length;
            // yauzl also checks the declared size; this stops a lying entry as soon as it passes the cap.
            if (total + size > limits.maxTotalBytes) {
              stream.destroy();
              fail(`"${name}" inflates past the ${limits.maxTotalBytes} byte cap`, `zip.${name}`);
            } else chunks.push(c);
          });
          stream.on('error', (se: Error) => fail(`"${name}" is damaged: ${se.message}`, `zip.${name}`));
          stream.on('end', () => {
            total += size;
            out.push({ name, text: Buffer.concat(chunks).toString('utf8') });
            archive.readEntry();
          });
        });
      });
      archive.readEntry();
    });
  });
}
