import { describe, expect, it } from 'vitest';
import { checkFilePath, languageOf, selectProjectFiles } from './fileNames';

describe('project paths', () => {
  it('checks paths like the server', () => {
    expect(checkFilePath('provider/openai.go', [])).toBeNull();
    expect(checkFilePath('data/prompts.tmpl', [])).toBeNull();
    expect(checkFilePath('/abs.go', [])).toMatch(/relative/);
    expect(checkFilePath('.hidden/x.go', [])).toMatch(/relative/);
    expect(checkFilePath('a/go.sum', [])).toMatch(/root/);
    expect(checkFilePath('x.exe', [])).toMatch(/data files/);
  });
  it('picks the files a build uses from a dropped folder', () => {
    const r = selectProjectFiles(
      ['proj/main.go', 'proj/go.mod', 'proj/config.yaml', 'proj/provider/a.go', 'proj/Makefile', 'proj/.git/HEAD', 'proj/README.md', 'proj/bin/plugin.wasm'].map((path) => ({
        path,
        size: 10,
      })),
    );
    expect(r.keep.map((k) => k.path)).toEqual(['main.go', 'go.mod', 'provider/a.go', 'README.md']);
    expect(r.config).toBe('proj/config.yaml');
    expect(r.skipped).toEqual(['Makefile', 'bin/plugin.wasm']);
  });
  it('names languages, go.mod included', () => {
    expect(languageOf('go.mod')).toBe('gomod');
    expect(languageOf('a/b.json')).toBe('json');
    expect(languageOf('go.sum')).toBe('plaintext');
  });
});
