// Build: the compiler's result, its diagnostics (click to jump to the spot)
// and the raw output; a link to download main.wasm after a good build.
import { api } from '../api/client';
import { mergeDiagnostics } from '../editor/markers';
import { useStore } from '../state/store';

export function BuildPane() {
  const build = useStore((s) => s.build);
  const revealAt = useStore((s) => s.revealAt);
  const reused = useStore((s) => s.reused);
  const analysis = useStore((s) => s.analysis);
  if (!build) {
    return <p className="muted pad">{reused ? 'The last Run reused the running plugin: nothing was rebuilt.' : 'No build yet. Press Run to compile main.go into a WebAssembly module.'}</p>;
  }
  // The build's diagnostics plus the lints of the current sources (hints with quick fixes in the editor).
  const diags = mergeDiagnostics(build, analysis);
  return (
    <div className="pane-scroll" data-testid="build-pane">
      {build.ok ? (
        <p>
          <span className="badge ok">built</span> {(build.wasmBytes / 1024 / 1024).toFixed(2)} MB in {build.durationMs} ms
          {build.cached && ' (from cache)'} ·{' '}
          <a href={api.wasmUrl(build.buildId)} download="main.wasm">
            Download main.wasm
          </a>
        </p>
      ) : (
        <p>
          <span className="badge error">build failed</span> {diags.length} problem{diags.length === 1 ? '' : 's'}. Click one to jump to it.
        </p>
      )}
      {diags.length > 0 && (
        <ul className="diagnostics" aria-label="Build diagnostics">
          {diags.map((d, i) => (
            <li key={i}>
              <button className={`diag ${d.severity}`} onClick={() => revealAt(d.file, d.line, d.column)}>
                <span className="loc">
                  {d.file}:{d.line}:{d.column}
                </span>{' '}
                <span className="sev">{d.severity}</span> {d.message}
                {d.code && <span className="muted"> [{d.code}]</span>}
                {d.fix && <span className="badge">quick fix: {d.fix.title}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {build.output && (
        <>
          <h4>Compiler output</h4>
          <pre className="body" aria-label="Compiler output">{build.output}</pre>
        </>
      )}
    </div>
  );
}
