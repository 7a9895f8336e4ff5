// Logs: the plugin's log lines, live from the session's event stream and from
// each exchange; filter by level, search, clear.
import { useEffect, useRef } from 'react';
import { LEVELS, visibleLogs } from '../state/logs';
import { useStore } from '../state/store';

/** The VMs on the gateway's main thread (host docs: "The main thread's VMs"). */
const THREAD_TITLES = {
  canary: "the configuration canary: a VM the gateway configures once when the config is loaded, to check it, then drops",
  main: "the VM on the gateway's main thread: configured like the workers' and ticking, but it never serves a request",
} as const;

export function LogsPane() {
  const logs = useStore((s) => s.logs);
  const level = useStore((s) => s.logLevel);
  const search = useStore((s) => s.logSearch);
  const setLevel = useStore((s) => s.setLogLevel);
  const setSearch = useStore((s) => s.setLogSearch);
  const clear = useStore((s) => s.clearLogs);
  const session = useStore((s) => s.session);
  const shown = visibleLogs(logs, level, search);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [shown.length]);

  return (
    <div className="pane-col" data-testid="logs-pane">
      <div className="pane-toolbar">
        <label>
          Level{' '}
          <select aria-label="Minimum log level" value={level} onChange={(e) => setLevel(e.target.value as typeof level)}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}+
              </option>
            ))}
          </select>
        </label>
        <input type="search" aria-label="Search logs" placeholder="Search logs" value={search} onChange={(e) => setSearch(e.target.value)} />
        <button onClick={clear} aria-label="Clear logs">
          Clear
        </button>
        <span className="muted small">
          {shown.length}/{logs.length} lines {session ? '· live' : ''}
        </span>
      </div>
      <div className="pane-scroll logs" role="log" aria-label="Plugin logs">
        {shown.length === 0 ? (
          <p className="muted">
            {logs.length ? 'No line matches the filter.' : 'No logs yet. Lines your plugin writes with log.Info/Debugf… appear here as they happen.'}
          </p>
        ) : (
          shown.map((l) => (
            <div key={l.id} className={`log-line lv-${l.level.toLowerCase()} ${l.source === 'host' ? 'from-host' : ''}`} title={l.source === 'host' ? 'from the playground host' : undefined}>
              <span className="time">{formatTime(l.time)}</span>
              <span className="level">{l.level.toUpperCase()}</span>
              {l.worker !== undefined && <span className="worker muted" title={`gateway worker ${l.worker}`}>w{l.worker}</span>}
              {l.thread && (
                <span className="worker muted" title={THREAD_TITLES[l.thread]}>
                  {l.thread}
                </span>
              )}
              <span className="msg">{l.message}</span>
            </div>
          ))
        )}
        <div ref={end} />
      </div>
    </div>
  );
}

function formatTime(t: string): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return t;
  return d.toLocaleTimeString(undefined, { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}
