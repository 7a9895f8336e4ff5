// Picks which recorded exchange the panes show (Run button or gateway traffic).
import { useStore } from '../state/store';

export function ExchangePicker() {
  const exchanges = useStore((s) => s.exchanges);
  const selected = useStore((s) => s.selectedExchange);
  const select = useStore((s) => s.selectExchange);
  if (exchanges.length < 2) return null;
  return (
    <label className="picker">
      Exchange{' '}
      <select aria-label="Recorded exchange" value={selected ?? ''} onChange={(e) => select(Number(e.target.value))}>
        {exchanges.map((r, i) => (
          <option key={r.id} value={r.id}>
            #{i + 1} {r.exchange.request.method} {r.exchange.request.path} → {r.exchange.response.status}
            {r.source === 'gateway' ? ' (via gateway)' : ''} {new Date(r.at).toLocaleTimeString()}
          </option>
        ))}
      </select>
    </label>
  );
}
