import { describe, expect, it } from 'vitest';
import { checkConfigYaml } from '@playground/shared';
import { diagnosticMarkers, yamlMarkers } from './markers';

describe('checkConfigYaml, as the editor uses it', () => {
  it('accepts valid YAML', () => {
    expect(checkConfigYaml('mockEnable: true\nlist:\n  - a\n')).toBeNull();
  });
  it('reports 1-based line and column of the error', () => {
    const p = checkConfigYaml('mockEnable: true\nfoo: [1, 2\nbar: 3\n');
    expect(p).not.toBeNull();
    expect(p!.line).toBeGreaterThanOrEqual(2);
    const q = checkConfigYaml('a: 1\n  b: 2\n');
    expect(q).toMatchObject({ line: 2 });
    expect(q!.column).toBeGreaterThanOrEqual(1);
  });
  it('refuses what the server refuses: a config that is not a mapping', () => {
    expect(checkConfigYaml('- a\n- b\n')).toMatchObject({ line: 1, column: 1, message: expect.stringMatching(/must be a mapping/) });
    expect(checkConfigYaml('just text\n')).toMatchObject({ line: 1, column: 1 });
    expect(checkConfigYaml('')).toBeNull();
  });
  it('turns the problem into an editor marker on that line', () => {
    const text = 'a: 1\n  b: 2\n';
    const [m] = yamlMarkers(checkConfigYaml(text), text);
    expect(m.startLineNumber).toBe(2);
    expect(m.severity).toBe('error');
    expect(m.endColumn).toBeGreaterThan(m.startColumn);
  });
});

describe('diagnosticMarkers', () => {
  const text = 'package main\n\nfunc f() {\n\tfoo()\n}\n';
  it('marks the word at the diagnostic position, only for its file', () => {
    const d = [
      { file: 'main.go', line: 4, column: 2, message: 'undefined: foo', severity: 'error' as const },
      { file: 'util.go', line: 1, column: 1, message: 'x', severity: 'error' as const },
    ];
    expect(diagnosticMarkers(d, 'main.go', text)).toEqual([
      { severity: 'error', message: 'undefined: foo', source: 'go build', startLineNumber: 4, startColumn: 2, endLineNumber: 4, endColumn: 5 },
    ]);
  });
  it('marks the whole line when there is no column', () => {
    const [m] = diagnosticMarkers([{ file: 'main.go', line: 4, column: 0, message: 'm', severity: 'warning' }], 'main.go', text);
    expect(m).toMatchObject({ severity: 'warning', startColumn: 1, endColumn: 7 });
  });
});
