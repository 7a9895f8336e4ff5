// Response: what the client finally received (status, headers, body; JSON
// pretty-printed), with a picker when several exchanges were recorded. While a
// Run waits, the response as it streams in: headers first, then each chunk.
import { prettyBody } from '../lib/body';
import type { StreamedResponse } from '../lib/streamedResponse';
import { selectedExchange } from '../state/exchanges';
import { useStore } from '../state/store';
import { ExchangePicker } from './ExchangePicker';
import { HeadersTable } from './HeadersTable';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function StreamingResponse({ r }: { r: StreamedResponse }) {
  const progress = `${plural(r.chunks, 'chunk')}, ${plural(r.bytes, 'byte')}`;
  return (
    <div className="pane-scroll" data-testid="response-pane" data-streaming="true">
      <h3 className="status-line">
        {r.status === null ? <span className="muted">Waiting for the response headers…</span> : <span className={`status s${String(r.status)[0]}`}>{r.status}</span>}
        <span className="streaming muted small" data-testid="streaming" role="status">
          {r.reset ? <span className="error-text">stream reset ({r.reset}) after {progress}</span> : `${r.ended ? 'received' : 'streaming…'} ${progress}`}
        </span>
      </h3>
      {r.status !== null && (
        <>
          <h4>Headers</h4>
          <HeadersTable headers={r.headers} label="Response headers" />
          <h4>Body</h4>
          <pre className="body" aria-label="Response body">
            {r.body || <span className="muted">(nothing yet)</span>}
          </pre>
        </>
      )}
    </div>
  );
}

export function ResponsePane() {
  const record = useStore((s) => selectedExchange(s));
  const streaming = useStore((s) => s.streaming);
  if (streaming) return <StreamingResponse r={streaming} />;
  if (!record) return <p className="muted pad">No response yet. Press Run to send the request through your plugin.</p>;
  const { response, localReply } = record.exchange;
  const body = prettyBody(response.body, response.headers);
  return (
    <div className="pane-scroll" data-testid="response-pane">
      <ExchangePicker />
      <h3 className="status-line">
        <span className={`status s${String(response.status)[0]}`}>{response.status}</span>
        {localReply && <span className="badge local">local reply from the plugin</span>}
      </h3>
      <h4>Headers</h4>
      <HeadersTable headers={response.headers} label="Response headers" />
      <h4>Body {body.json && <span className="muted">(JSON, pretty-printed)</span>}</h4>
      <pre className="body" aria-label="Response body">{body.text || <span className="muted">(empty)</span>}</pre>
    </div>
  );
}
