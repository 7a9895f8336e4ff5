// Turns what a run returned (or how it failed) into one clear state: what
// happened and what to do about it. Pure, so every case is unit-tested.
import { ApiFailure } from '../api/client';
import type { Exchange, LogEntry, RunResult } from '../api/types';

export type OutcomeKind =
  | 'idle'
  | 'running'
  | 'ok'
  | 'local-reply'
  | 'build-error'
  | 'invalid-yaml'
  | 'config-rejected'
  | 'plugin-crash'
  | 'plugin-timeout'
  | 'upstream-down'
  | 'unreachable'
  | 'error';

export interface Outcome {
  kind: OutcomeKind;
  title: string;
  detail?: string;
  hint?: string;
  /** Where to send the user to see more. */
  pane?: 'response' | 'diff' | 'logs' | 'timeline' | 'build';
  /** A spot in the user's files the outcome points at (the banner offers to jump there). */
  file?: string;
  line?: number;
  column?: number;
  logs?: LogEntry[];
}

const crashWords = /panic|trap|unreachable|wasm error|runtime error|abort/i;

export const outcomes = {
  buildError: (count: number): Outcome => ({
    kind: 'build-error',
    title: `Build failed: ${count} error${count === 1 ? '' : 's'}`,
    detail: 'The Go compiler rejected the code; the errors are marked in the editor.',
    hint: 'Click an error in the Build pane to jump to it, fix it, and run again.',
    pane: 'build',
  }),
  invalidYaml: (message: string, line?: number, column?: number): Outcome => ({
    kind: 'invalid-yaml',
    title: 'config.yaml is not valid YAML',
    detail: line ? `Line ${line}${column ? `, column ${column}` : ''}: ${message}` : message,
    hint: 'Fix the marked spot in config.yaml (indentation and "key: value" pairs), then run again.',
    file: line ? 'config.yaml' : undefined,
    line,
    column,
  }),
  configRejected: (message: string, logs: LogEntry[] = []): Outcome => ({
    kind: 'config-rejected',
    title: 'The plugin rejected its configuration',
    detail: message,
    hint: 'Your parseConfig returned an error (proxy_on_configure failed). Check its log lines in Logs and the keys in config.yaml.',
    pane: 'logs',
    logs,
  }),
  crash: (message: string): Outcome => ({
    kind: 'plugin-crash',
    title: 'The plugin crashed',
    detail: message,
    hint: 'A panic or WebAssembly trap stopped the plugin. The Logs pane shows its last words; look for nil maps or pointers and out-of-range indexes.',
    pane: 'logs',
  }),
  panicked: (message: string, file?: string, line?: number): Outcome => ({
    file,
    line,
    kind: 'plugin-crash',
    title: 'Your plugin panicked',
    detail: `${message}\nThe wasm-go SDK recovered, so the request went on without the rest of that callback.`,
    hint: 'The Logs pane has the panic and its stack: the main.go line in it is where to look (nil maps and pointers, out-of-range indexes).',
    pane: 'logs',
  }),
  timeout: (message: string): Outcome => ({
    kind: 'plugin-timeout',
    title: 'The plugin took too long',
    detail: message,
    hint: 'A callback ran past the time limit, or the filter paused and never resumed. Check loops and that every Pause is followed by a resume.',
    pane: 'timeline',
  }),
  upstreamDown: (message: string): Outcome => ({
    kind: 'upstream-down',
    title: 'The upstream did not answer',
    detail: message,
    hint: 'The plugin ran, but the backend behind the gateway is down or refused the connection. Try again; if it persists, the server setup needs attention.',
    pane: 'diff',
  }),
  unreachable: (): Outcome => ({
    kind: 'unreachable',
    title: 'The playground server cannot be reached',
    detail: 'The request never got an answer: the server is down, restarting, or your network is offline.',
    hint: 'Your work is kept in this browser. Check the connection and press Run again in a moment.',
  }),
  error: (message: string): Outcome => ({
    kind: 'error',
    title: 'Something went wrong',
    detail: message,
    hint: 'Try again. If it keeps happening, the message above says where.',
  }),
};

/** The outcome of an exchange that came back. */
export function exchangeOutcome(ex: Exchange): Outcome {
  if (ex.error) {
    if (/timeout|timed out|ran longer than|deadline/i.test(ex.error)) return outcomes.timeout(ex.error);
    if (/upstream/i.test(ex.error)) return outcomes.upstreamDown(ex.error);
    return outcomes.crash(ex.error);
  }
  const panic = ex.logs?.find((l) => /recovered from panic|^panic:/i.test(l.message));
  if (panic) {
    const m = /(?:recovered from panic|panic:)\s*(.*?)(?:, stack:|\n|$)/i.exec(panic.message);
    // The stack names the user's file as playground/plugin/<file>.go:<line>.
    const at = /plugin\/([\w.-]+\.go):(\d+)/.exec(panic.message);
    return outcomes.panicked(`panic: ${m?.[1] || 'see the Logs pane'}${at ? ` (at ${at[1]}:${at[2]})` : ''}`, at?.[1], at ? Number(at[2]) : undefined);
  }
  if (!ex.localReply && ex.upstreamResponse === null && [502, 503, 504].includes(ex.response.status)) {
    const body = typeof ex.response.body === 'string' ? ex.response.body : '';
    return outcomes.upstreamDown(body || `The gateway answered ${ex.response.status} without reaching the upstream.`);
  }
  if (ex.localReply) {
    return {
      kind: 'local-reply',
      title: `Local reply ${ex.response.status}: the plugin answered itself`,
      detail: 'The request never reached the upstream; the response was sent by the plugin (SendHttpResponse).',
      pane: 'diff',
    };
  }
  return { kind: 'ok', title: `${ex.response.status} from upstream`, pane: 'diff' };
}

type RunErrorLike = { error: string; line?: number; column?: number; logs?: LogEntry[]; stage?: string };

function runErrorOutcome(e: RunErrorLike | string | undefined): Outcome {
  if (!e) return outcomes.error('The server did not start a session and gave no reason.');
  if (typeof e === 'string') return runErrorOutcome({ error: e });
  if (e.line !== undefined || e.stage === 'yaml') {
    return outcomes.invalidYaml(e.error.replace(/^config\.yaml line \d+, column \d+: /, ''), e.line, e.column);
  }
  if (/timeout|timed out|ran longer than/i.test(e.error)) return outcomes.timeout(e.error);
  if (e.stage === 'config' || e.logs || /config/i.test(e.error)) return outcomes.configRejected(e.error, e.logs);
  if (crashWords.test(e.error)) return outcomes.crash(e.error);
  return outcomes.error(e.error);
}

/** The outcome of a POST /api/run answer. */
export function runOutcome(res: RunResult): Outcome {
  if (!res.build.ok) return outcomes.buildError(res.build.diagnostics.filter((d) => d.severity !== 'warning').length || res.build.diagnostics.length);
  if (!res.session) return runErrorOutcome(res.error);
  if (!res.exchange) return runErrorOutcome(res.error ?? 'The session started, but the request was not sent.');
  return exchangeOutcome(res.exchange);
}

/** The outcome of a request that failed outright. */
export function failureOutcome(err: unknown): Outcome {
  if (err instanceof ApiFailure) {
    if (err.kind === 'unreachable') return outcomes.unreachable();
    const body = err.body ?? {};
    if (err.status === 422) {
      const line = typeof body.line === 'number' ? body.line : undefined;
      const column = typeof body.column === 'number' ? body.column : undefined;
      if (line !== undefined) return outcomes.invalidYaml(err.message, line, column);
      return runErrorOutcome({ stage: 'config', error: err.message, logs: body.logs as LogEntry[] | undefined });
    }
    if (err.status === 504 || /timeout|timed out/i.test(err.message)) return outcomes.timeout(err.message);
    if (crashWords.test(err.message)) return outcomes.crash(err.message);
    return outcomes.error(err.message);
  }
  return outcomes.error(err instanceof Error ? err.message : String(err));
}
