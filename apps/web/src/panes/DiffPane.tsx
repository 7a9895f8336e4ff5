// Diff: what the plugin changed. Request: client -> upstream. Response:
// upstream -> client. A local reply (the plugin answered itself) is called out.
import type { Body, HeaderList, MessageDiff } from '../api/types';
import { prettyBody } from '../lib/body';
import { diffFields, diffLines, headerRows, headersDiffRows, type HeaderRow } from '../lib/diff';
import { selectedExchange } from '../state/exchanges';
import { useStore } from '../state/store';
import { ExchangePicker } from './ExchangePicker';

/** Header rows: what was added (+), removed (−) or changed (~), set by the gateway (·), or the same. */
function HeaderDiff({ rows, label }: { rows: HeaderRow[]; label: string }) {
  return (
    <table className="kv diff" aria-label={label}>
      <tbody>
        {rows.map((c, i) => (
          <tr key={i} className={`h-${c.kind}`}>
            <td className="mark" aria-label={c.kind}>
              {c.kind === 'added' ? '+' : c.kind === 'removed' ? '−' : c.kind === 'changed' ? '~' : c.kind === 'gateway' ? '·' : ''}
            </td>
            <th scope="row">{c.name}</th>
            <td>
              {c.kind === 'changed' ? (
                <>
                  <del>{c.before}</del> → <ins>{c.after}</ins>
                </>
              ) : (
                (c.after ?? c.before)
              )}
            </td>
            <td className="kind" title={c.kind === 'gateway' ? 'added or rewritten by the gateway itself, not by the plugin' : undefined}>
              {c.kind === 'gateway' ? 'by the gateway' : c.kind !== 'same' ? c.kind : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BodyDiff({ before, after, beforeHeaders, afterHeaders }: { before: Body; after: Body; beforeHeaders: HeaderList; afterHeaders: HeaderList }) {
  const a = prettyBody(before, beforeHeaders).text;
  const b = prettyBody(after, afterHeaders).text;
  if (a === b) return <p className="muted">Body unchanged{a ? ` (${a.length} characters)` : ' (empty)'}.</p>;
  return (
    <pre className="body diff-body" aria-label="Body diff">
      {diffLines(a, b).map((op, i) => (
        <div key={i} className={`l-${op.kind}`}>
          {op.kind === 'add' ? '+ ' : op.kind === 'del' ? '- ' : '  '}
          {op.text}
        </div>
      ))}
    </pre>
  );
}

function Summary({ changes }: { changes: HeaderRow[] }) {
  const n = (k: HeaderRow['kind']) => changes.filter((c) => c.kind === k).length;
  const parts = [n('added') && `${n('added')} added`, n('changed') && `${n('changed')} changed`, n('removed') && `${n('removed')} removed`].filter(Boolean);
  const byGateway = n('gateway') ? ` (+${n('gateway')} by the gateway)` : '';
  return <span className={`badge ${parts.length ? 'changed' : ''}`}>{parts.length ? `headers: ${parts.join(', ')}${byGateway}` : `headers unchanged${byGateway}`}</span>;
}

/** The plugin's effect on one message: headers added/removed/changed, fields, body. */
function MessageEffect({ diff, label }: { diff: MessageDiff; label: string }) {
  const rows = headersDiffRows(diff.headers);
  const nothing = !rows.length && !diff.fields.length && !diff.body.changed;
  return (
    <>
      {diff.fields.map((f) => (
        <p key={f.name} className="field-change">
          {f.name}: <del>{f.before}</del> → <ins>{f.after}</ins>
        </p>
      ))}
      {nothing && <p className="muted">The plugin changed nothing here.</p>}
      {rows.length > 0 && <HeaderDiff rows={rows} label={label} />}
      {diff.body.changed && (
        <>
          <h4>Body (without plugin → with plugin)</h4>
          <BodyDiff before={diff.body.before} after={diff.body.after} beforeHeaders={[]} afterHeaders={[]} />
        </>
      )}
    </>
  );
}

function EffectView() {
  const effect = useStore((s) => s.effect);
  if (!effect) return <p className="muted pad">Press “Compare with plugin off” to send the selected request through the plugin and around it.</p>;
  const { withPlugin, withoutPlugin, effect: e } = effect.result;
  return (
    <div className="pane-scroll" data-testid="effect-pane">
      <p className="muted small">
        {effect.request.method} {effect.request.path} sent twice, at {new Date(effect.at).toLocaleTimeString()}: through the plugin and around it. Everything
        below is what the plugin changed.
      </p>
      {e.localReply && (
        <div className="callout local" role="status" data-testid="effect-local-reply">
          <strong>With the plugin: local reply {withPlugin.response.status}.</strong> The plugin answered itself and the upstream never saw the request;
          without the plugin the upstream answered {withoutPlugin.response.status}.
          <pre className="body" aria-label="Plugin local reply body">{prettyBody(withPlugin.response.body, withPlugin.response.headers).text || '(empty)'}</pre>
        </div>
      )}
      {withPlugin.error && (
        <div className="callout failed" role="status">
          <strong>With the plugin the exchange failed:</strong> {withPlugin.error}
        </div>
      )}
      <section aria-label="Plugin effect on the request">
        <h3>
          Request the upstream received <span className="muted">without plugin → with plugin</span>
        </h3>
        {e.request ? (
          <MessageEffect diff={e.request} label="Plugin effect on the upstream request" />
        ) : (
          <p className="muted">{e.localReply ? 'With the plugin nothing reached the upstream.' : 'No upstream request to compare.'}</p>
        )}
      </section>
      <section aria-label="Plugin effect on the response">
        <h3>
          Response the client received <span className="muted">without plugin → with plugin</span>
        </h3>
        {e.response ? <MessageEffect diff={e.response} label="Plugin effect on the client response" /> : <p className="muted">No response to compare.</p>}
      </section>
    </div>
  );
}

export function DiffPane() {
  const view = useStore((s) => s.diffView);
  const setView = useStore((s) => s.setDiffView);
  const hasEffect = useStore((s) => s.effect !== null);
  const busy = useStore((s) => s.busy);
  const running = useStore((s) => s.running);
  const comparePluginOff = useStore((s) => s.comparePluginOff);
  return (
    <div className="pane-col">
      <div className="pane-toolbar">
        <button
          onClick={() => void comparePluginOff()}
          disabled={busy !== null || running}
          title="Send the selected request through the plugin and around it, and show what the plugin changed"
        >
          {busy === 'effect' ? 'Comparing…' : '⇄ Compare with plugin off'}
        </button>
        <span className="seg" role="group" aria-label="Diff view">
          <button className={view === 'exchange' ? 'active' : ''} aria-pressed={view === 'exchange'} onClick={() => setView('exchange')}>
            In → out
          </button>
          <button className={view === 'effect' ? 'active' : ''} aria-pressed={view === 'effect'} disabled={!hasEffect} onClick={() => setView('effect')}>
            Plugin on vs off
          </button>
        </span>
      </div>
      {view === 'effect' ? <EffectView /> : <ExchangeDiff />}
    </div>
  );
}

function ExchangeDiff() {
  const record = useStore((s) => selectedExchange(s));
  if (!record) {
    return (
      <p className="muted pad">
        Nothing to compare yet. Press Run: this pane then shows what your plugin changed in the request on its way to the upstream, and in the
        response on its way back.
      </p>
    );
  }
  const ex = record.exchange;
  const reqChanges = ex.upstreamRequest ? headerRows(ex.request.headers, ex.upstreamRequest.headers) : [];
  const resChanges = ex.upstreamResponse ? headerRows(ex.upstreamResponse.headers, ex.response.headers) : [];
  return (
    <div className="pane-scroll" data-testid="diff-pane">
      <ExchangePicker />
      {ex.error && (
        <div className="callout failed" role="status" data-testid="stream-error">
          <strong>The exchange failed:</strong> {ex.error}
          {ex.localReply && <> The gateway itself answered {ex.response.status || 'nothing (stream reset)'}.</>}
        </div>
      )}
      {ex.configMatch && (
        <p className="small" data-testid="diff-config-match">
          <span className="badge">config: {ex.configMatch.applied}</span> <span className="muted">{ex.configMatch.reason}</span>
        </p>
      )}
      {ex.localReply && !ex.error && (
        <div className="callout local" role="status" data-testid="local-reply">
          <strong>Local reply.</strong> The plugin answered the request itself with status {ex.response.status}; the upstream never saw it.
        </div>
      )}

      <section aria-label="Request diff">
        <h3>
          Request <span className="muted">client → {ex.upstreamRequest ? 'upstream' : 'plugin (stopped here)'}</span>{' '}
          {ex.upstreamRequest && <Summary changes={reqChanges} />}
        </h3>
        {ex.upstreamRequest ? (
          <>
            {diffFields(ex.request, ex.upstreamRequest, ['method', 'path']).map((c) => (
              <p key={c.field} className="field-change">
                {c.field}: <del>{c.before}</del> → <ins>{c.after}</ins>
              </p>
            ))}
            <p className="muted small">
              {ex.request.method} {ex.request.path}
            </p>
            <HeaderDiff rows={reqChanges} label="Request headers diff" />
            <h4>Body</h4>
            <BodyDiff before={ex.request.body} after={ex.upstreamRequest.body} beforeHeaders={ex.request.headers} afterHeaders={ex.upstreamRequest.headers} />
          </>
        ) : (
          <p className="muted">{ex.error ? 'Not forwarded: the exchange failed first.' : 'Not forwarded: the plugin sent a local reply.'}</p>
        )}
      </section>

      <section aria-label="Response diff">
        <h3>
          Response <span className="muted">{ex.upstreamResponse ? 'upstream → client' : 'from the plugin → client'}</span>{' '}
          {ex.upstreamResponse && <Summary changes={resChanges} />}
        </h3>
        {ex.upstreamResponse ? (
          <>
            {diffFields(ex.upstreamResponse, ex.response, ['status']).map((c) => (
              <p key={c.field} className="field-change">
                {c.field}: <del>{c.before}</del> → <ins>{c.after}</ins>
              </p>
            ))}
            <HeaderDiff rows={resChanges} label="Response headers diff" />
            <h4>Body</h4>
            <BodyDiff
              before={ex.upstreamResponse.body}
              after={ex.response.body}
              beforeHeaders={ex.upstreamResponse.headers}
              afterHeaders={ex.response.headers}
            />
          </>
        ) : (
          <>
            <p>
              <span className={`status s${String(ex.response.status)[0]}`}>{ex.response.status}</span>{' '}
              {ex.localReply && !ex.error && <span className="badge local">local reply</span>}
            </p>
            <HeaderDiff rows={headerRows([], ex.response.headers)} label="Local reply headers" />
            <h4>Body</h4>
            <pre className="body" aria-label="Local reply body">{prettyBody(ex.response.body, ex.response.headers).text || '(empty)'}</pre>
          </>
        )}
      </section>
    </div>
  );
}
