// What the gateway did with the selected exchange beyond the four messages: which profile and
// worker served it, Envoy's response details, and the host's notes: behaviour the gateway
// punishes (with the fix) and the playground's own bounds.
import type { Exchange } from '../api/types';
import { selectedExchange } from '../state/exchanges';
import { useStore } from '../state/store';

export function exchangeFacts(ex: Exchange): string[] {
  const facts: string[] = [];
  if (ex.profile) facts.push(`${ex.profile} gateway`);
  if (ex.worker !== undefined) facts.push(`worker ${ex.worker}`);
  // Left out when empty: a plugin's local reply without details (SendHttpResponse) leaves Envoy's
  // code details empty, and an empty value explains nothing about the status the way
  // via_upstream or wasm_fail_stream do.
  if (ex.responseCodeDetails) facts.push(`response details: ${ex.responseCodeDetails}`);
  if (ex.reset) facts.push(`stream reset: ${ex.reset}`);
  return facts;
}

export function ExchangeNotes() {
  const record = useStore((s) => selectedExchange(s));
  if (!record) return null;
  const ex = record.exchange;
  const notes = ex.notes ?? [];
  const facts = exchangeFacts(ex);
  if (!facts.length && !notes.length) return null;
  return (
    <div className="exchange-notes" data-testid="exchange-notes">
      {facts.length > 0 && <div className="muted small facts">{facts.join(' · ')}</div>}
      {notes.length > 0 && (
        <ul aria-label="Gateway notes">
          {notes.map((n) => (
            <li key={n.code} className={`note n-${n.code}`} data-code={n.code}>
              <span className="badge">{n.code === 'playground_bound' ? 'playground' : 'gateway'}</span> {n.message}
              {n.fix && <div className="hint">Fix: {n.fix}</div>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
