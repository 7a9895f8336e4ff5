// A ready-to-copy curl command for the selected request against the live
// session's gateway on the page's own origin (`/gw/{id}`, lib/curl.ts
// gatewayBase); traffic sent that way shows up in the panes too.
import { useState } from 'react';
import { curlLine, gatewayBase } from '../lib/curl';
import { toWire, type StoredRequest } from '../state/scenario';
import { useStore } from '../state/store';

export function CurlLine({ request }: { request: StoredRequest }) {
  const session = useStore((s) => s.session);
  const [copied, setCopied] = useState(false);
  if (!session) return <p className="muted small">Run once to start the plugin; a curl command for its gateway appears here.</p>;
  const line = curlLine(gatewayBase(session, window.location.origin), toWire(request));
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(line);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="curl">
      <code aria-label="curl command" data-testid="curl-line">{line}</code>
      <button className="small" onClick={copy} aria-label="Copy the curl command">
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
