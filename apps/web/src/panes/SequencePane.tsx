// Sequence: run the saved requests (or N copies of the selected one) through
// the same VM so plugin state carries over, and chart per-step callback time
// and VM memory (a leak shows as a rising line). Also the virtual clock:
// advance it to fire proxy_on_tick on schedule.
import { useState } from 'react';
import type { SequenceStep } from '../api/types';
import { useStore } from '../state/store';
import { formatBytes, growthPerStep, scaleSeries } from './seriesChart';
import { formatDuration } from './timeline';

const W = 640;
const H = 170;
const BOX = { x: 56, y: 12, w: W - 56 - 70, h: H - 12 - 26 };

function Chart({ steps }: { steps: SequenceStep[] }) {
  const time = scaleSeries(steps.map((s) => s.durationUs), BOX);
  const mem = scaleSeries(steps.map((s) => s.memoryBytes), BOX, true);
  const line = (pts: { x: number; y: number }[]) => pts.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  return (
    <svg className="seq-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Callback time and VM memory over ${steps.length} steps`} data-testid="sequence-chart">
      <rect x={BOX.x} y={BOX.y} width={BOX.w} height={BOX.h} className="frame" />
      <text x={BOX.x - 4} y={BOX.y + 8} className="axis t-time" textAnchor="end">
        {formatDuration(time.max)}
      </text>
      <text x={BOX.x - 4} y={BOX.y + BOX.h} className="axis t-time" textAnchor="end">
        0
      </text>
      <text x={BOX.x + BOX.w + 4} y={BOX.y + 8} className="axis t-mem">
        {formatBytes(mem.max)}
      </text>
      <text x={BOX.x + BOX.w + 4} y={BOX.y + BOX.h} className="axis t-mem">
        {formatBytes(mem.min)}
      </text>
      <text x={BOX.x} y={H - 6} className="axis">
        step 1
      </text>
      <text x={BOX.x + BOX.w} y={H - 6} className="axis" textAnchor="end">
        step {steps.length}
      </text>
      <polyline points={line(time.points)} className="l-time" />
      <polyline points={line(mem.points)} className="l-mem" />
      {time.points.map((p, i) => (
        <circle key={`t${i}`} cx={p.x} cy={p.y} r={3} className="pt-time" data-index={i}>
          <title>
            step {i + 1}: {formatDuration(p.value)} in callbacks
          </title>
        </circle>
      ))}
      {mem.points.map((p, i) => (
        <circle key={`m${i}`} cx={p.x} cy={p.y} r={2.5} className="pt-mem" data-index={i}>
          <title>
            step {i + 1}: VM memory {formatBytes(p.value)}
          </title>
        </circle>
      ))}
    </svg>
  );
}

export function SequencePane() {
  const sequence = useStore((s) => s.sequence);
  const requests = useStore((s) => s.requests);
  const busy = useStore((s) => s.busy);
  const running = useStore((s) => s.running);
  const clock = useStore((s) => s.clock);
  const setClock = useStore((s) => s.setClock);
  const clockLog = useStore((s) => s.clockLog);
  const session = useStore((s) => s.session);
  const { advanceClock, runSequence } = useStore.getState();
  const [which, setWhich] = useState<'selected' | 'all'>('selected');
  const [repeat, setRepeat] = useState(20);
  const [advanceMs, setAdvanceMs] = useState(0);
  const [tickMs, setTickMs] = useState(1000);
  const steps = sequence?.result.steps ?? [];
  const growth = growthPerStep(steps.map((s) => s.memoryBytes));
  const total = clockLog[clockLog.length - 1]?.totalMs ?? 0;
  const disabled = busy !== null || running;

  return (
    <div className="pane-scroll" data-testid="sequence-pane">
      <div className="seq-controls" role="group" aria-label="Sequence">
        <label>
          Send{' '}
          <select aria-label="Requests to send" value={which} onChange={(e) => setWhich(e.target.value as 'selected' | 'all')}>
            <option value="selected">the selected request</option>
            <option value="all">all {requests.length} saved requests</option>
          </select>
        </label>
        <label>
          × <input aria-label="Repeat" type="number" min={1} max={200} value={repeat} onChange={(e) => setRepeat(Number(e.target.value))} />
        </label>
        <label title="Virtual time between requests (virtual clock only)">
          advance <input aria-label="Advance ms between requests" type="number" min={0} step={100} value={advanceMs} onChange={(e) => setAdvanceMs(Number(e.target.value))} /> ms between
        </label>
        <button className="primary" disabled={disabled} onClick={() => void runSequence({ which, repeat, advanceMs })}>
          {busy === 'sequence' ? 'Running…' : '▶ Run sequence'}
        </button>
      </div>
      {steps.length > 0 && (
        <>
          <p className="muted small">
            {steps.length} steps · {formatDuration(steps.reduce((t, s) => t + s.durationUs, 0))} in callbacks · VM memory {formatBytes(steps[0].memoryBytes)} →{' '}
            {formatBytes(steps[steps.length - 1].memoryBytes)}
            {growth > 0 && ` (+${formatBytes(Math.round(growth))} per step)`}
            {steps.some((s) => s.localReply) && ` · ${steps.filter((s) => s.localReply).length} local replies`}
            {steps.some((s) => s.error) && <span className="error-text"> · {steps.filter((s) => s.error).length} failed</span>}
          </p>
          <div className="legend small">
            <span className="k-time">● callback time</span> <span className="k-mem">● VM memory</span>
          </div>
          <Chart steps={steps} />
          <details>
            <summary className="small">Steps</summary>
            <table className="kv seq-steps" aria-label="Sequence steps">
              <thead>
                <tr>
                  <th>#</th>
                  <th>request</th>
                  <th>status</th>
                  <th>callbacks</th>
                  <th>memory</th>
                  <th>ticks</th>
                </tr>
              </thead>
              <tbody>
                {steps.map((s) => (
                  <tr key={s.index}>
                    <td>{s.index + 1}</td>
                    <td>
                      {s.request.method} {s.request.path}
                    </td>
                    <td>
                      <span className={`status s${String(s.status)[0]}`}>{s.status}</span>
                      {s.localReply && <span className="badge local">local</span>}
                      {s.error && <span className="error-text"> {s.error}</span>}
                    </td>
                    <td>{formatDuration(s.durationUs)}</td>
                    <td>{formatBytes(s.memoryBytes)}</td>
                    <td>{s.ticks}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}

      <h4>Clock</h4>
      <div className="seq-controls" role="group" aria-label="Clock">
        <label title="A virtual clock only moves when you advance it; proxy_on_tick fires on schedule. Changing it starts a new session on the next Run.">
          Clock{' '}
          <select aria-label="Clock" value={clock} onChange={(e) => setClock(e.target.value as 'real' | 'virtual')}>
            <option value="real">real</option>
            <option value="virtual">virtual</option>
          </select>
        </label>
        <label>
          advance by <input aria-label="Advance by ms" type="number" min={1} step={100} value={tickMs} onChange={(e) => setTickMs(Number(e.target.value))} /> ms
        </label>
        <button disabled={disabled || clock !== 'virtual'} onClick={() => void advanceClock(tickMs)} title={clock !== 'virtual' ? 'Pick Clock: virtual first' : 'Fire proxy_on_tick on schedule'}>
          {busy === 'advance' ? 'Advancing…' : '» Advance clock'}
        </button>
        {clock === 'virtual' && <span className="muted small">{session ? `virtual time +${total} ms` : 'starts with the next Run'}</span>}
      </div>
      {clockLog.length > 0 && (
        <ol className="clock-log" aria-label="Clock advances" data-testid="clock-log">
          {[...clockLog].reverse().map((c, i) => (
            <li key={clockLog.length - i}>
              <strong>
                +{c.ms} ms → {c.totalMs} ms:
              </strong>{' '}
              {c.ticks} tick{c.ticks === 1 ? '' : 's'}
              {c.logs.length > 0 && (
                <ul className="tick-logs">
                  {c.logs.map((l, j) => (
                    <li key={j} className={`lv-${l.level}`}>
                      <span className="level">{l.level}</span> {l.message}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
