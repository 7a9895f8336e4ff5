// Builds the editor markers (squiggles) from build diagnostics and the YAML
// check. Pure data, in Monaco's 1-based positions; see CodeEditor for use.
import type { Diagnostic } from '../api/types';
import type { YamlProblem } from '../lib/yaml';

export interface MarkerData {
  severity: 'error' | 'warning';
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  source: string;
}

/** Marks from the token at line:column to the end of that word (or one character). */
function span(line: number, column: number, text: string | undefined): Pick<MarkerData, 'startLineNumber' | 'startColumn' | 'endLineNumber' | 'endColumn'> {
  const l = Math.max(1, line || 1);
  const c = Math.max(1, column || 1);
  const lineText = text?.split('\n')[l - 1] ?? '';
  let end = c;
  while (end - 1 < lineText.length && /[\w.]/.test(lineText[end - 1])) end++;
  if (end === c) end = column ? c + 1 : Math.max(lineText.length + 1, 2);
  return { startLineNumber: l, startColumn: column ? c : 1, endLineNumber: l, endColumn: end };
}

export function diagnosticMarkers(diagnostics: Diagnostic[], file: string, text?: string): MarkerData[] {
  return diagnostics
    .filter((d) => d.file === file || d.file.endsWith(`/${file}`))
    .map((d) => ({
      severity: d.severity === 'warning' ? 'warning' : 'error',
      message: d.message,
      source: d.severity === 'warning' ? 'playground' : 'go build',
      ...span(d.line, d.column, text),
    }));
}

export function yamlMarkers(problem: YamlProblem | null, text?: string): MarkerData[] {
  if (!problem) return [];
  return [{ severity: 'error', message: problem.message, source: 'yaml', ...span(problem.line, problem.column, text) }];
}
