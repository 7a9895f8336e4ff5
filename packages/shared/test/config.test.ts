import { describe, expect, it } from 'vitest';
import { checkConfigYaml, yamlToConfigJson } from '../src/config.js';

describe('yamlToConfigJson', () => {
  it('turns console YAML into the JSON the plugin receives', () => {
    const r = yamlToConfigJson('mockEnable: true\n_rules_:\n  - _match_route_: [r1]\n    mockEnable: false\n');
    expect(r).toEqual({
      ok: true,
      json: '{"mockEnable":true,"_rules_":[{"_match_route_":["r1"],"mockEnable":false}]}',
      value: { mockEnable: true, _rules_: [{ _match_route_: ['r1'], mockEnable: false }] },
    });
  });

  it('gives an empty document no configuration', () => {
    expect(yamlToConfigJson('# nothing here\n')).toMatchObject({ ok: true, json: '' });
  });

  it('reports a syntax error with a 1-based line and column', () => {
    const r = yamlToConfigJson('a: 1\nb: [1, 2\nc: 3\n');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.line).toBe(3);
      expect(r.column).toBeGreaterThan(0);
      expect(r.error).toMatch(/flow collection|expected/);
    }
  });

  it('refuses a config that is not a mapping', () => {
    expect(yamlToConfigJson('- a\n- b\n')).toMatchObject({ ok: false, line: 1, column: 1 });
  });
});

describe('checkConfigYaml', () => {
  it('is null for what yamlToConfigJson converts, else its problem with 1-based positions', () => {
    expect(checkConfigYaml('mockEnable: true\n')).toBeNull();
    expect(checkConfigYaml('')).toBeNull();
    expect(checkConfigYaml('a: 1\n  b: 2\n')).toMatchObject({ line: 2, message: expect.any(String) });
    expect(checkConfigYaml('- a\n')).toEqual({ message: expect.stringMatching(/must be a mapping/), line: 1, column: 1 });
    expect(checkConfigYaml('42\n')).toMatchObject({ line: 1, column: 1 });
  });
});
