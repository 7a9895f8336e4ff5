// The examples gallery: every plugin in examples/, each opens in one click
// with its files, config and requests.
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { ExampleSummary } from '../api/types';
import { failureOutcome } from '../lib/outcome';
import { useStore } from '../state/store';
import { Dialog } from './Dialog';

export function ExamplesGallery() {
  const open = useStore((s) => s.examplesOpen);
  const setOpen = useStore((s) => s.setExamplesOpen);
  const origin = useStore((s) => s.origin);
  const openExample = useStore((s) => s.openExample);
  const [list, setList] = useState<ExampleSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setError(null);
    api.examples().then(setList, (e) => setError(failureOutcome(e).title));
  }, [open]);

  const pick = (name: string) => {
    const dirty = origin.kind === 'local' || origin.forked;
    if (dirty && !window.confirm('Open this example? It replaces the files, config and requests you have now (share them first to keep a link).')) return;
    void openExample(name);
  };

  return (
    <Dialog title="Examples" open={open} onClose={() => setOpen(false)}>
      {error && <p className="error-text">{error}</p>}
      {!list && !error && <p className="muted">Loading…</p>}
      {list && list.length === 0 && <p className="muted">No examples on this server.</p>}
      <ul className="examples" aria-label="Example plugins">
        {list?.map((ex) => (
          <li key={ex.name}>
            <button className="example" onClick={() => pick(ex.name)} data-example={ex.name} aria-label={`Open example ${ex.title}`}>
              <strong>{ex.title}</strong>
              <span>{ex.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
