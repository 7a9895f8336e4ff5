// The help panel: how to use the playground, shortcuts, and documentation links.
import { useStore } from '../state/store';
import { Dialog } from './Dialog';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl';

export function HelpPanel() {
  const open = useStore((s) => s.helpOpen);
  const setOpen = useStore((s) => s.setHelpOpen);
  return (
    <Dialog title="Help" open={open} onClose={() => setOpen(false)}>
      <p>
        Write a Higress WASM plugin in Go (<code>main.go</code>), configure it in <code>config.yaml</code> (converted to JSON for your{' '}
        <code>parseConfig</code>), pick a request and press <strong>Run</strong>. The server compiles the plugin, loads it into a gateway in front
        of an httpbin upstream and sends your request through it.
      </p>
      <ul>
        <li>
          <strong>Diff</strong>: what your plugin changed, request (client → upstream) and response (upstream → client). A local reply means the
          plugin answered itself.
        </li>
        <li>
          <strong>Logs</strong>: what your plugin logged, live. <strong>Timeline</strong>: each callback and its action.{' '}
          <strong>Build</strong>: compiler errors (click one to jump to it).
        </li>
        <li>
          <strong>Services</strong> (under the request): HTTP services for callouts, a Redis of the session&apos;s own (its keys in the{' '}
          <strong>Redis</strong> tab), and an OpenAI-compatible LLM stand-in the Gateway panel can route to. A streamed answer shows in{' '}
          <strong>Response</strong> as it arrives.
        </li>
        <li>
          <strong>Share</strong> gives a link to the files, config and requests. Opening it and editing makes your own copy.
        </li>
        <li>
          <strong>Tour</strong>: learn the SDK lesson by lesson at <code>/tour</code>; <strong>Check</strong> tells you what your code gets right.{' '}
          <strong>Examples</strong> can be searched by SDK method name (e.g. <code>AddHttpRequestHeader</code>).
        </li>
      </ul>
      <h3>Shortcuts</h3>
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">{mod}+Enter</th>
            <td>Run (also inside the editor)</td>
          </tr>
          <tr>
            <th scope="row">Ctrl+Space, F12, Ctrl+K Ctrl+I</th>
            <td>
              In a Go file (when <em>Go intelligence</em> beside the tabs is on): completion (also after <code>.</code>), go to definition (the
              SDK&apos;s sources open read-only in a tab), the doc comment under the cursor. Type errors are marked as you type.
            </td>
          </tr>
          <tr>
            <th scope="row">Shift+Alt+F</th>
            <td>Format the Go file (gofmt), same as the Format button</td>
          </tr>
          <tr>
            <th scope="row">{isMac ? 'Ctrl+Shift+M' : 'Ctrl+M'}</th>
            <td>In the editor: make Tab move the focus out instead of indenting</td>
          </tr>
          <tr>
            <th scope="row">F1</th>
            <td>Editor command palette</td>
          </tr>
          <tr>
            <th scope="row">Arrow keys on a divider</th>
            <td>Resize panes</td>
          </tr>
        </tbody>
      </table>
      <h3>Documentation</h3>
      <ul>
        <li>
          <a href="https://higress.cn/en/docs/latest/user/wasm-go/" target="_blank" rel="noreferrer">
            Higress: developing WASM plugins with Go
          </a>
        </li>
        <li>
          <a href="https://github.com/higress-group/wasm-go" target="_blank" rel="noreferrer">
            higress-group/wasm-go (the wrapper SDK)
          </a>
        </li>
        <li>
          <a href="https://github.com/proxy-wasm/spec" target="_blank" rel="noreferrer">
            The proxy-wasm ABI specification
          </a>
        </li>
      </ul>
    </Dialog>
  );
}
