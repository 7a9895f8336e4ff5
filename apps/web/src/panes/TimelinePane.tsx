// Timeline: each filter callback the host called, what it returned (Continue,
// Pause, …) and how long it took; HTTP callouts and Redis calls nested under
// the callback that waited for them.
import type { Callout, RedisCall } from '../api/types';
import { selectedExchange } from '../state/exchanges';
import { useStore } from '../state/store';
import { ExchangePicker } from './ExchangePicker';
import { formatDuration, redisOutcome, timelineRows, type PluginCall } from './timeline';

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

function RedisCallItem({ c }: { c: RedisCall }) {
  const outcome = redisOutcome(c);
  return (
    <li className={`callout-item redis-call${outcome.failed ? ' failed' : ''}`} data-status={c.status}>
      <span className="badge">redis</span> <code className="redis-command">{c.command}</code> →{' '}
      <code className={outcome.failed ? 'error-text' : 'redis-reply'}>{outcome.text}</code>
      <span className="muted">
        {' '}
        · {formatDuration(c.durationMs * 1000)} · {c.cluster}
      </span>
    </li>
  );
}

function CallItem({ call }: { call: PluginCall }) {
  return call.kind === 'redis' ? <RedisCallItem c={call.call} /> : <CalloutItem c={call.call} />;
}

export function TimelinePane() {
  const record = useStore((s) => selectedExchange(s));
  if (!record) return <p className="muted pad">No exchange yet. After a Run, each plugin callback appears here in order.</p>;
  const { timeline, callouts, redisCalls, configMatch } = record.exchange;
  const { rows, loose } = timelineRows(timeline ?? [], callouts ?? [], redisCalls);
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
              <span className={`action a-${(r.entry.action ?? '').toLowerCase()}`} title={r.entry.action}>
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
            {r.calls.length > 0 && (
              <ul className="callouts">
                {r.calls.map((c, j) => (
                  <CallItem key={j} call={c} />
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {loose.length > 0 && (
        <ul className="callouts" aria-label="Calls to other clusters">
          {loose.map((c, j) => (
            <CallItem key={j} call={c} />
          ))}
        </ul>
      )}
    </div>
  );
}
