// Logs: the plugin's log lines, live from the session's event stream and from
// each exchange; filter by level, search, clear. A plugin can log hundreds of
// lines a second, so the pane does per update only what the new lines need:
// rows are memoized (a line's row is rendered once), only the newest lines
// matching the filter are in the page, and it follows the end only while the
// reader is there.
import { memo, useLayoutEffect, useMemo, useRef } from 'react';
import { LEVELS, visibleLogs, type LogLine } from '../state/logs';
import { useStore } from '../state/store';

/** Rows in the page at most: enough to read back, few enough that an update stays cheap. */
const SHOWN_LINES = 500;

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
  const shown = useMemo(() => visibleLogs(logs, level, search), [logs, level, search]);
  const hidden = Math.max(0, shown.length - SHOWN_LINES);
  const rows = hidden ? shown.slice(hidden) : shown;

  // Follows new lines while the reader is at the end; one who scrolled up to read stays put.
  const scroller = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [rows]);

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
      <div
        className="pane-scroll logs"
        role="log"
        aria-label="Plugin logs"
        ref={scroller}
        onScroll={(e) => {
          const el = e.currentTarget;
          atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {shown.length === 0 ? (
          <p className="muted">
            {logs.length ? 'No line matches the filter.' : 'No logs yet. Lines your plugin writes with log.Info/Debugf… appear here as they happen.'}
          </p>
        ) : (
          <>
            {hidden > 0 && (
              <p className="muted small" data-testid="logs-not-shown">
                {hidden} earlier {hidden === 1 ? 'line' : 'lines'} not shown: narrow the level or search to find {hidden === 1 ? 'it' : 'them'}.
              </p>
            )}
            {rows.map((l) => (
              <LogRow key={l.id} line={l} />
            ))}
          </>
        )}
      </div>
    </div>
  );
}

/** One line; a line never changes, so its row is rendered once. */
const LogRow = memo(function LogRow({ line: l }: { line: LogLine }) {
  return (
    <div className={`log-line lv-${l.level.toLowerCase()} ${l.source === 'host' ? 'from-host' : ''}`} title={l.source === 'host' ? 'from the playground host' : undefined}>
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
  );
});

// One formatter for every line: `toLocaleTimeString` builds one per call (tens of µs each), the
// cost that made long logs slow. Same fields as toLocaleTimeString's, so the same text.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: 'numeric', second: 'numeric', hour12: false });

function formatTime(t: string): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return t;
  return timeFormat.format(d) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}
