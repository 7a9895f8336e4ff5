// The editable [name, value] table of the request builder.
import type { HeaderList } from '../api/types';

export function HeaderEditor({ headers, onChange }: { headers: HeaderList; onChange: (h: HeaderList) => void }) {
  const set = (i: number, col: 0 | 1, v: string) =>
    onChange(headers.map((h, j) => (j === i ? ((col === 0 ? [v, h[1]] : [h[0], v]) as [string, string]) : h)));
  return (
    <table className="header-editor" aria-label="Request headers">
      <tbody>
        {headers.map(([n, v], i) => (
          <tr key={i}>
            <td>
              <input aria-label={`Header ${i + 1} name`} placeholder="name" value={n} onChange={(e) => set(i, 0, e.target.value)} />
            </td>
            <td>
              <input aria-label={`Header ${i + 1} value`} placeholder="value" value={v} onChange={(e) => set(i, 1, e.target.value)} />
            </td>
            <td>
              <button className="icon" aria-label={`Remove header ${n || i + 1}`} onClick={() => onChange(headers.filter((_, j) => j !== i))}>
                ×
              </button>
            </td>
          </tr>
        ))}
        <tr>
          <td colSpan={3}>
            <button className="small" aria-label="Add a header" onClick={() => onChange([...headers, ['', '']])}>
              + header
            </button>
          </td>
        </tr>
      </tbody>
    </table>
  );
}
