// Checks the plugin config YAML as the user types and says where it is wrong,
// in Monaco's 1-based line/column terms.
import yaml from 'js-yaml';

export interface YamlProblem {
  message: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export function checkYaml(source: string): YamlProblem | null {
  try {
    yaml.load(source);
    return null;
  } catch (err) {
    const e = err as { reason?: string; message?: string; mark?: { line: number; column: number } };
    const mark = e.mark ?? { line: 0, column: 0 };
    return {
      message: e.reason ?? e.message ?? 'invalid YAML',
      line: mark.line + 1,
      column: mark.column + 1,
    };
  }
}
