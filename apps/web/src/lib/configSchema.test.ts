import { describe, expect, it } from 'vitest';
import { keyDocAt, keySuggestions, schemaProblems, yamlKeyLines, type JsonSchema } from './configSchema';

const schema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mockEnable: { type: 'boolean', description: 'read by main.go:30 as .Bool()' },
    limits: { type: 'object', additionalProperties: false, properties: { qps: { type: 'integer' } } },
    _rules_: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { mockEnable: { type: 'boolean' }, _match_route_: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
};

describe('config schema', () => {
  it('finds key paths in block YAML, sequences included', () => {
    const text = 'mockEnable: true\n_rules_:\n- _match_route_: [vip]\n  mockEnable: true\n-   mockEnable: false\nlimits:\n  qps: 3\n';
    expect(yamlKeyLines(text).map((k) => [k.path.join('.'), k.line, k.column])).toEqual([
      ['mockEnable', 1, 1],
      ['_rules_', 2, 1],
      ['_rules_.0._match_route_', 3, 3],
      ['_rules_.0.mockEnable', 4, 3],
      ['_rules_.1.mockEnable', 5, 5],
      ['limits', 6, 1],
      ['limits.qps', 7, 3],
    ]);
    expect(yamlKeyLines('a:\n  - x: 1\n  - x: 2\n').map((k) => k.path.join('.'))).toEqual(['a', 'a.0.x', 'a.1.x']);
  });

  it('warns on unknown keys and wrong types', () => {
    const problems = schemaProblems('mockEnable: yes please\nunknownKey: 1\n_rules_:\n  - _match_route_: [vip]\n    bogus: 2\n', schema);
    expect(problems.map((p) => [p.line, p.column])).toEqual([
      [1, 1],
      [2, 1],
      [5, 5],
    ]);
    expect(problems[0].message).toMatch(/should be a boolean/);
    expect(problems[1].message).toMatch(/"unknownKey" is not a key the plugin reads.*mockEnable/);
    expect(schemaProblems('mockEnable: true\n', schema)).toEqual([]);
    expect(schemaProblems('mockEnable: [oops\n', schema)).toEqual([]);
  });

  it('suggests the keys of the mapping at the cursor', () => {
    expect(keySuggestions('mockEnable: true\n', 2, 1, schema).map((s) => s.key)).toEqual(['limits', '_rules_']);
    expect(keySuggestions('_rules_:\n  - _match_route_: [a]\n    ', 3, 5, schema).map((s) => s.key)).toEqual(['mockEnable']);
    expect(keySuggestions('limits:\n  q', 2, 4, schema).map((s) => s.key)).toEqual(['qps']);
    expect(keySuggestions('mockEnable: tr', 1, 15, schema)).toEqual([]);
  });

  it('documents a key on hover', () => {
    expect(keyDocAt('mockEnable: true\n', 1, 3, schema)?.doc).toMatch(/boolean — read by main.go:30/);
  });
});
