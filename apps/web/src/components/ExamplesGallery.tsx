// The examples gallery: every plugin in examples/, each opens in one click
// with its files, config and requests. The search box finds examples by the SDK
// methods they use (their README's `Uses:` line), or by title and description.
// A description is its README's first paragraph: its code spans show as code.
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { ExampleSummary } from '../api/types';
import { searchExamples } from '../lib/exampleSearch';
import { failureOutcome } from '../lib/outcome';
import { useStore } from '../state/store';
import { InlineMarkdown } from '../tour/Markdown';
import { Dialog } from './Dialog';

export function ExamplesGallery() {
  const open = useStore((s) => s.examplesOpen);
  const setOpen = useStore((s) => s.setExamplesOpen);
  const origin = useStore((s) => s.origin);
  const openExample = useStore((s) => s.openExample);
  const [list, setList] = useState<ExampleSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const matches = useMemo(() => (list ? searchExamples(list, query) : null), [list, query]);

  useEffect(() => {
    if (!open) return;
    setError(null);
    setQuery('');
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
      {list && list.length > 0 && (
        <input
          type="search"
          className="examples-search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search by SDK method (e.g. AddHttpRequestHeader), title or description"
          aria-label="Search examples by method name"
          autoFocus
        />
      )}
      {matches && list && list.length > 0 && matches.length === 0 && (
        <p className="muted" data-testid="examples-none">
          No example uses or mentions “{query.trim()}”.
        </p>
      )}
      <ul className="examples" aria-label="Example plugins">
        {matches?.map(({ example: ex, methods }) => (
          <li key={ex.name}>
            <button className="example" onClick={() => pick(ex.name)} data-example={ex.name} aria-label={`Open example ${ex.title}`}>
              <strong>{ex.title}</strong>
              <span className="example-description" data-testid="example-description">
                <InlineMarkdown text={ex.description} />
              </span>
              {ex.uses && ex.uses.length > 0 && (
                <span className="example-uses small" data-testid="example-uses">
                  Uses:{' '}
                  {ex.uses.map((m, i) => (
                    <span key={m}>
                      {i > 0 && ', '}
                      {methods.includes(m) ? (
                        <mark>
                          <code>{m}</code>
                        </mark>
                      ) : (
                        <code>{m}</code>
                      )}
                    </span>
                  ))}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
