/**
 * Structured logs: one JSON object per line on stdout, with an `event` name and the ids that
 * tie lines together (buildId, sessionId, requestId). Quiet in tests unless PLAYGROUND_LOG is set.
 */
import { flagSetting } from '../settings.js';

type Fields = Record<string, unknown>;

// Under vitest (which sets VITEST) logs are off unless asked for.
const quiet = () => (process.env.VITEST !== undefined || flagSetting('PLAYGROUND_QUIET')) && !flagSetting('PLAYGROUND_LOG');

function emit(level: 'info' | 'warn' | 'error', event: string, fields: Fields): void {
  if (level !== 'error' && quiet()) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  (level === 'error' ? process.stderr : process.stdout).write(line + '\n');
}

export const log = {
  info: (event: string, fields: Fields = {}) => emit('info', event, fields),
  warn: (event: string, fields: Fields = {}) => emit('warn', event, fields),
  error: (event: string, fields: Fields = {}) => emit('error', event, fields),
};
