// Response: what the client finally received (status, headers, body; JSON
// pretty-printed), with a picker when several exchanges were recorded.
import { prettyBody } from '../lib/body';
import { selectedExchange } from '../state/runSlice';
import { useStore } from '../state/store';
import { ExchangePicker } from './ExchangePicker';
import { HeadersTable } from './HeadersTable';

export function ResponsePane() {
  const record = useStore((s) => selectedExchange(s));
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
