// The top bar: Run, Format, Share, Examples, Tour, runtime, download, theme, help.
import { useState } from 'react';
import { api } from '../api/client';
import type { RuntimeName } from '../api/types';
import { usesSession } from '../state/scenarioScope';
import { useStore } from '../state/store';
import { isReadOnlyTabId } from '../state/workspace';
import { ShareDialog } from './ShareDialog';

export function Toolbar() {
  const running = useStore((s) => s.running);
  const health = useStore((s) => s.health);
  const healthError = useStore((s) => s.healthError);
  const runtime = useStore((s) => s.runtime);
  const setRuntime = useStore((s) => s.setRuntime);
  const theme = useStore((s) => s.theme);
  const setTheme = useStore((s) => s.setTheme);
  const buildId = useStore((s) => s.buildId);
  const activeFile = useStore((s) => s.activeFile);
  const origin = useStore((s) => s.origin);
  const setHelpOpen = useStore((s) => s.setHelpOpen);
  const setExamplesOpen = useStore((s) => s.setExamplesOpen);
  const onTour = useStore((s) => s.tourRoute.view !== 'playground');
  const busy = useStore((s) => s.busy);
  const { run, formatActive, share, downloadBundle, navigate } = useStore.getState();
  const [link, setLink] = useState<string | null>(null);
  const [sharing, setSharing] = useState(false);

  const doShare = async () => {
    setSharing(true);
    const l = await share();
    setSharing(false);
    if (l) setLink(l);
  };

  return (
    <header className="toolbar">
      <h1 className="brand">Higress WASM Go Playground</h1>
      <button className="primary" onClick={() => void run()} disabled={running || usesSession(busy)} aria-label="Run (Ctrl+Enter)" title="Build, load and send the request (Ctrl/Cmd+Enter)">
        {running ? 'Running…' : '▶ Run'}
      </button>
      <button onClick={() => void formatActive()} disabled={!activeFile.endsWith('.go') || isReadOnlyTabId(activeFile)} aria-label="Format the Go file with gofmt">
        Format
      </button>
      <button onClick={() => void doShare()} disabled={sharing} aria-label="Share a link to this scenario">
        {sharing ? 'Sharing…' : 'Share'}
      </button>
      <button onClick={() => setExamplesOpen(true)} aria-label="Open the examples gallery">
        Examples
      </button>
      {!onTour && (
        <a
          className="button"
          href="/tour"
          onClick={(e) => {
            e.preventDefault();
            void navigate('/tour');
          }}
          aria-label="Open the tour"
          title="Learn the SDK lesson by lesson: each has a short text, an exercise and a Check button"
        >
          Tour
        </a>
      )}
      <button
        onClick={() => void downloadBundle()}
        disabled={busy === 'export'}
        aria-label="Download bundle"
        title="Download a .zip that reproduces this scenario outside the playground: sources, go.mod/go.sum, config, requests, README"
      >
        {busy === 'export' ? 'Preparing…' : '⤓ Bundle'}
      </button>
      {buildId && (
        <a className="button" href={api.wasmUrl(buildId)} download="main.wasm" aria-label="Download main.wasm of the last build">
          ⤓ main.wasm
        </a>
      )}
      <span className="origin muted small" data-testid="origin">
        {origin.kind === 'share' && (origin.forked ? `your copy of shared /p/${origin.id}` : `shared /p/${origin.id}`)}
        {origin.kind === 'example' && (origin.forked ? `edited example ${origin.id}` : `example ${origin.id}`)}
        {origin.kind === 'lesson' && (origin.solution ? `solution of lesson ${origin.id}` : origin.forked ? `your attempt at lesson ${origin.id}` : `lesson ${origin.id}`)}
      </span>
      <span className="spacer" />
      <label className="runtime small">
        Runtime{' '}
        <select aria-label="Runtime" title={health?.docker && !health.docker.available ? `docker: ${health.docker.reason ?? 'unavailable'}` : undefined} value={runtime} onChange={(e) => setRuntime(e.target.value as RuntimeName)}>
          {(['embedded', 'docker'] as const).map((r) => (
            <option key={r} value={r} disabled={health ? !health.runtimes?.[r] : false}>
              {r}
              {health && !health.runtimes?.[r] ? ' (unavailable)' : ''}
            </option>
          ))}
        </select>
      </label>
      <span className={`server-state small ${healthError ? 'bad' : ''}`} data-testid="server-state" title={health?.sandbox?.reason}>
        {healthError ? 'server unreachable' : health ? `${health.go?.version ?? 'go ?'} · ${runtime}` : 'connecting…'}
      </span>
      <button className="icon" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
        {theme === 'dark' ? '☀' : '☾'}
      </button>
      <button className="icon" onClick={() => setHelpOpen(true)} aria-label="Help and shortcuts">
        ?
      </button>
      <ShareDialog link={link} onClose={() => setLink(null)} />
    </header>
  );
}
