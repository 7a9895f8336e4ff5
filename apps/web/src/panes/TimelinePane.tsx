// Timeline: each filter callback the host called, what it returned (Continue,
// Pause, …) and how long it took; HTTP callouts nested under their callback.
import type { Callout } from '../api/types';
import { selectedExchange } from '../state/runSlice';
import { useStore } from '../state/store';
import { ExchangePicker } from './ExchangePicker';
import { formatDuration, timelineRows } from './timeline';

function CalloutItem({ c }: { c: Callout }) {
  return (
    <li className="callout-item">
      <span className="badge">callout</span> {c.cluster}: {c.request?.method ?? 'GET'} {c.request?.path ?? ''} →{' '}
      {c.response ? <span className={`status s${String(c.response.status)[0]}`}>{c.response.status}</span> : <em>no response</em>}
      {c.durationMs !== undefined && <span className="muted"> · {formatDuration(c.durationMs * 1000)}</span>}
      {c.error && <span className="error-text"> · {c.error}</span>}
    </li>
  );
}

export function TimelinePane() {
  const record = useStore((s) => selectedExchange(s));
  if (!record) return <p className="muted pad">No exchange yet. After a Run, each plugin callback appears here in order.</p>;
  const { timeline, callouts, configMatch } = record.exchange;
  const { rows, loose } = timelineRows(timeline ?? [], callouts ?? []);
  const max = Math.max(1, ...rows.map((r) => r.entry.durationUs));
  const total = rows.reduce((t, r) => t + r.entry.durationUs, 0);
  return (
    <div className="pane-scroll" data-testid="timeline-pane">
      <ExchangePicker />
      {configMatch && (
        <div className="config-match" data-testid="config-match" data-applied={configMatch.applied}>
          <strong>Config applied: {configMatch.applied === 'none' ? 'none (the plugin does nothing for this request)' : configMatch.applied}</strong>
          <div className="muted small">{configMatch.reason}</div>
        </div>
      )}
      <p className="muted small">
        {rows.length} callbacks · {formatDuration(total)} in the plugin
      </p>
      <ol className="timeline" aria-label="Plugin callbacks">
        {rows.map((r, i) => (
          <li key={i}>
            <div className="tl-row">
              <span className="phase">{r.entry.phase}</span>
              <span className={`action a-${(r.entry.action ?? '').toLowerCase()}`} title={r.entry.detail}>
                {r.entry.action ?? '—'}
              </span>
              <span className="bar" aria-hidden="true">
                <span style={{ width: `${Math.max(2, (r.entry.durationUs / max) * 100)}%` }} />
              </span>
              <span className="dur">{formatDuration(r.entry.durationUs)}</span>
            </div>
            {(r.entry.detail || r.entry.bytes !== undefined) && (
              <div className="tl-detail muted small">
                {r.entry.bytes !== undefined && `${r.entry.bytes} bytes${r.entry.endOfStream ? ', end of stream' : ''}`}
                {r.entry.bytes !== undefined && r.entry.detail ? ' · ' : ''}
                {r.entry.detail}
              </div>
            )}
            {r.callouts.length > 0 && (
              <ul className="callouts">
                {r.callouts.map((c, j) => (
                  <CalloutItem key={j} c={c} />
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {loose.length > 0 && (
        <ul className="callouts" aria-label="HTTP callouts">
          {loose.map((c, j) => (
            <CalloutItem key={j} c={c} />
          ))}
        </ul>
      )}
    </div>
  );
}
