import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExampleCatalog, usesOf } from '../src/examples/catalog.js';
import { examplesDir } from '../src/toolchain/paths.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('example summaries', () => {
  it('reads the Uses line into uses, and keeps the first paragraph as the description', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'examples-'));
    dirs.push(dir);
    await mkdir(path.join(dir, 'a'));
    await mkdir(path.join(dir, 'b'));
    await writeFile(
      path.join(dir, 'a', 'README.md'),
      '# Adds a header\n\nIt adds\na header.\n\nMore text.\n\nUses: AddHttpRequestHeader, log.Infof , `SendHttpResponse`, AddHttpRequestHeader\n',
    );
    // Only a title and the Uses line: the Uses line is no description.
    await writeFile(path.join(dir, 'b', 'README.md'), '# Bare\n\nUses: ParseConfig\n');
    expect(await new ExampleCatalog(dir).list()).toEqual([
      { name: 'a', title: 'Adds a header', description: 'It adds a header.', uses: ['AddHttpRequestHeader', 'log.Infof', 'SendHttpResponse'] },
      { name: 'b', title: 'Bare', description: '', uses: ['ParseConfig'] },
    ]);
  });

  it('leaves uses out when a README has no Uses line', () => {
    expect(usesOf('# Title\n\nText that mentions Uses: in the middle of a line.\n')).toEqual([]);
  });

  it('every example in the repository names the methods it uses', async () => {
    for (const ex of await new ExampleCatalog(examplesDir).list()) {
      expect(ex.description, ex.name).not.toMatch(/^Uses:/);
      expect(ex.uses?.length ?? 0, ex.name).toBeGreaterThan(0);
    }
  });
});
