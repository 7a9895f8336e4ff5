// What Check found: each expectation of the lesson passed (✓) or failed (✗,
// with what was seen instead), or why nothing was checked (the code does not
// build: its output; the plugin did not start; the server said no).
import { useEffect, useMemo, useRef } from 'react';
import { attemptHash, lessonPath } from '../state/tour';
import { useStore } from '../state/store';
import { useTourLink } from './useTourLink';

export function CheckResults() {
  const check = useStore((s) => s.tourCheck);
  const files = useStore((s) => s.files);
  const config = useStore((s) => s.config);
  // Hashed when the files or config change, not on every update of the store.
  const edited = useMemo(() => check.state === 'done' && attemptHash({ files, config }) !== check.hash, [check, files, config]);
  const n = useStore((s) => s.lessonNumber);
  const total = useStore((s) => s.lessons?.length ?? 0);
  const link = useTourLink();
  const ref = useRef<HTMLElement>(null);

  // A new outcome is scrolled into view (the lesson's text may be long).
  useEffect(() => {
    if (check.state !== 'idle') ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [check]);

  if (check.state === 'idle') return null;
  return (
    <section ref={ref} className="check" aria-label="Check results" data-testid="check" data-state={check.state} aria-live="polite">
      {check.state === 'checking' && (
        <p>
          <span className="spinner" /> Checking: building your plugin and sending the lesson&apos;s requests…
        </p>
      )}
      {check.state === 'failed' && <p className="error-text">Could not check: {check.message}</p>}
      {check.state === 'done' && (
        <>
          <p className={`check-summary ${check.result.passed ? 'pass' : 'fail'}`} data-testid="check-summary" data-passed={String(check.result.passed)}>
            {check.result.passed
              ? '✓ Passed: every check holds.'
              : check.result.error
                ? `✗ Nothing was checked: ${check.result.error}.`
                : `✗ Not yet: ${check.result.results.filter((r) => r.passed).length} of ${check.result.results.length} checks hold.`}
            {check.result.passed && n !== null && n < total && (
              <>
                {' '}
                <a {...link(lessonPath(n + 1))}>Next lesson →</a>
              </>
            )}
          </p>
          {edited && <p className="muted small">You have changed the code since this check.</p>}
          {check.result.build && !check.result.build.ok && check.result.build.output && <pre className="check-build">{check.result.build.output}</pre>}
          {check.result.results.length > 0 && (
            <ul className="check-results">
              {check.result.results.map((r, i) => (
                <li key={i} className={r.passed ? 'pass' : 'fail'} data-passed={String(r.passed)}>
                  <span className="check-mark" aria-label={r.passed ? 'passed' : 'failed'}>
                    {r.passed ? '✓' : '✗'}
                  </span>
                  <span>
                    {r.description}
                    {!r.passed && r.seen && <span className="seen">seen: {r.seen}</span>}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
