// Builds the editor markers (squiggles) from build diagnostics, lints, the
// config check (@playground/shared's checkConfigYaml, the server's own) and
// the config schema. Pure data, in Monaco's 1-based positions; see CodeEditor
// for use.
import type { ConfigProblem } from '@playground/shared';
import type { Analysis, BuildResult, Diagnostic } from '../api/types';
import type { SchemaProblem } from '../lib/configSchema';

export interface MarkerData {
  severity: 'error' | 'warning';
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  source: string;
  code?: string;
}

/** Marks from the token at line:column to the end of that word (or one character). */
function span(line: number, column: number, text: string | undefined, word = /[\w.]/): Pick<MarkerData, 'startLineNumber' | 'startColumn' | 'endLineNumber' | 'endColumn'> {
  const l = Math.max(1, line || 1);
  const c = Math.max(1, column || 1);
  const lineText = text?.split('\n')[l - 1] ?? '';
  let end = c;
  while (end - 1 < lineText.length && word.test(lineText[end - 1])) end++;
  if (end === c) end = column ? c + 1 : Math.max(lineText.length + 1, 2);
  return { startLineNumber: l, startColumn: column ? c : 1, endLineNumber: l, endColumn: end };
}

/** Build diagnostics plus the analysis lints the build did not report already. */
export function mergeDiagnostics(build: BuildResult | null, analysis: Analysis | null): Diagnostic[] {
  const out = [...(build?.diagnostics ?? [])];
  const key = (d: Diagnostic) => `${d.file}:${d.line}:${d.code ?? d.message}`;
  const seen = new Set(out.map(key));
  for (const d of analysis?.diagnostics ?? []) {
    if (!seen.has(key(d))) {
      seen.add(key(d));
      out.push({ ...d, severity: d.severity ?? 'warning' });
    }
  }
  return out;
}

const sameFile = (a: string, b: string) => a.replace(/^\.\//, '') === b;

export function diagnosticMarkers(diagnostics: Diagnostic[], file: string, text?: string): MarkerData[] {
  return diagnostics
    .filter((d) => sameFile(d.file, file))
    .map((d) => {
      // In go.mod a module path (with its slashes) is the token to mark.
      const base = span(d.line, d.column, text, file === 'go.mod' ? /[\w./~+-]/ : undefined);
      const ranged =
        d.endLine && d.endColumn && (d.endLine > d.line || d.endColumn > d.column)
          ? { ...base, endLineNumber: d.endLine, endColumn: d.endColumn }
          : base;
      return {
        severity: d.severity === 'warning' ? 'warning' : 'error',
        message: d.code ? `${d.message} [${d.code}]` : d.message,
        source: d.code ? 'playground lint' : d.severity === 'warning' ? 'playground' : 'go build',
        ...(d.code ? { code: d.code } : {}),
        ...ranged,
      };
    });
}

export function yamlMarkers(problem: ConfigProblem | null, text?: string): MarkerData[] {
  if (!problem) return [];
  return [{ severity: 'error', message: problem.message, source: 'yaml', ...span(problem.line, problem.column, text) }];
}

export function schemaMarkers(problems: SchemaProblem[]): MarkerData[] {
  return problems.map((p) => ({
    severity: 'warning',
    message: p.message,
    source: 'config schema',
    code: 'config-schema',
    startLineNumber: p.line,
    startColumn: p.column,
    endLineNumber: p.line,
    endColumn: p.endColumn,
  }));
}
