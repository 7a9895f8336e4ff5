import { describe, expect, it } from 'vitest';
import { checkFilePath, checkFolderPath, DEFAULT_PATH_LIMITS, embedPatterns, fileKind, filePathProblem } from '../src/files.js';

const depth = DEFAULT_PATH_LIMITS.maxDepth;

describe('file paths', () => {
  it('names the rule a path breaks, with the message checkFilePath gives', () => {
    for (const [path, rule] of [
      ['../x.go', 'name'],
      ['/abs.go', 'name'],
      ['.hidden/x.go', 'name'],
      ['bad name.go', 'name'],
      ['a/b/c/d/e/f/g/h/i.go', 'depth'],
      ['sub/go.mod', 'kind'],
      ['x.exe', 'kind'],
      ['asm_wasm.s', 'kind'],
    ] as const) {
      const problem = filePathProblem(path, depth);
      expect(problem?.rule, path).toBe(rule);
      expect(checkFilePath(path, depth)).toBe(problem?.message);
    }
    expect(filePathProblem('provider/openai.go', depth)).toBeNull();
    expect(filePathProblem('data/prompts.tmpl', depth)).toBeNull();
  });

  it('takes any file a //go:embed pattern names as data, relative to the Go file', () => {
    const embedded = embedPatterns({ 'assets/assets.go': 'package assets\n\n//go:embed logo.png "fonts" all:static/*.svg\nvar files embed.FS\n' });
    expect(embedded).toEqual(['assets/logo.png', 'assets/fonts', 'assets/static/*.svg']);
    expect(fileKind('assets/logo.png', embedded)).toBe('data');
    expect(fileKind('assets/fonts/a.ttf', embedded)).toBe('data');
    expect(fileKind('assets/static/x.svg', embedded)).toBe('data');
    expect(fileKind('assets/static/sub/x.svg', embedded)).toBeNull();
    expect(filePathProblem('logo.png', depth, embedded)?.rule).toBe('kind');
  });

  it('checks folder paths', () => {
    expect(checkFolderPath('provider', depth)).toBeNull();
    expect(checkFolderPath('../x', depth)).toMatch(/^use folder names/);
    expect(checkFolderPath('a/b/c/d/e/f/g/h', depth)).toBe(`folders nest at most ${depth - 1} levels deep`);
  });
});
