import { describe, expect, it } from 'vitest';
import { languageOf, newFilePathProblem, selectProjectFiles } from './fileNames';

describe('project paths', () => {
  it('checks paths like the server', () => {
    expect(newFilePathProblem('provider/openai.go', [])).toBeNull();
    expect(newFilePathProblem('data/prompts.tmpl', [])).toBeNull();
    expect(newFilePathProblem('/abs.go', [])).toMatch(/relative/);
    expect(newFilePathProblem('.hidden/x.go', [])).toMatch(/relative/);
    expect(newFilePathProblem('a/go.sum', [])).toMatch(/root/);
    expect(newFilePathProblem('x.exe', [])).toMatch(/data files/);
  });
  it('words the shared rules for the editor, and adds its own', () => {
    expect(newFilePathProblem('bad name', [])).toMatch(/^Path "bad name" is not allowed: .*, like util\.go or provider\/openai\.go$/);
    expect(newFilePathProblem('a/b/c/d/e/f/g/h/i.go', [])).toBe('Path "a/b/c/d/e/f/g/h/i.go" is 9 levels deep (at most 8)');
    expect(newFilePathProblem('config.yaml', [])).toMatch(/plugin config/);
    expect(newFilePathProblem('util.go', ['util.go'])).toBe('A file named util.go already exists');
    // A file any //go:embed pattern names is a data file of the project.
    expect(newFilePathProblem('static/logo.png', [])).toMatch(/^File "static\/logo\.png" is not allowed/);
    expect(newFilePathProblem('static/logo.png', [], ['static/*.png'])).toBeNull();
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
  it('keeps the files a //go:embed pattern of a dropped Go source names', () => {
    const r = selectProjectFiles([
      { path: 'proj/main.go', size: 10, text: 'package main\n' },
      { path: 'proj/assets/assets.go', size: 10, text: 'package assets\n\n//go:embed logo.png "fonts"\nvar files embed.FS\n' },
      { path: 'proj/assets/logo.png', size: 10 },
      { path: 'proj/assets/fonts/a.ttf', size: 10 },
      { path: 'proj/assets/other.png', size: 10 },
      { path: 'proj/logo.png', size: 10 },
    ]);
    expect(r.keep.map((k) => k.path)).toEqual(['main.go', 'assets/assets.go', 'assets/logo.png', 'assets/fonts/a.ttf']);
    expect(r.skipped).toEqual(['assets/other.png', 'logo.png']);
  });
  it('names languages, go.mod included', () => {
    expect(languageOf('go.mod')).toBe('gomod');
    expect(languageOf('a/b.json')).toBe('json');
    expect(languageOf('go.sum')).toBe('plaintext');
  });
});
