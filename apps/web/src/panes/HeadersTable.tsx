// A read-only table of headers, used by the Response pane.
import type { HeaderList } from '../api/types';

export function HeadersTable({ headers, label }: { headers: HeaderList; label: string }) {
  if (!headers.length) return <p className="muted">No headers.</p>;
  return (
    <table className="kv" aria-label={label}>
      <tbody>
        {headers.map(([n, v], i) => (
          <tr key={i}>
            <th scope="row">{n}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
