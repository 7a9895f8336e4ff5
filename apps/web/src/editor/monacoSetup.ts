// Monaco, bundled with the app: the editor core with its standard features,
// Go and YAML highlighting, and the editor worker built by Vite. The
// @monaco-editor/react loader is pointed at this copy, so nothing is ever
// fetched from a CDN.
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-editor/esm/vs/editor/edcore.main';
import 'monaco-editor/esm/vs/basic-languages/go/go.contribution';
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution';
import 'monaco-editor/esm/vs/basic-languages/markdown/markdown.contribution';
import 'monaco-editor/esm/vs/basic-languages/html/html.contribution';
import 'monaco-editor/esm/vs/basic-languages/xml/xml.contribution';
import 'monaco-editor/esm/vs/basic-languages/javascript/javascript.contribution';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

loader.config({ monaco });

// JSON data files: highlighting only (the JSON language service would need its own worker).
if (!monaco.languages.getLanguages().some((l) => l.id === 'json')) {
  monaco.languages.register({ id: 'json', extensions: ['.json'] });
  monaco.languages.setMonarchTokensProvider('json', {
    tokenizer: {
      root: [
        [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'type.identifier'],
        [/"(?:[^"\\]|\\.)*"/, 'string'],
        [/-?\d+(\.\d+)?([eE][-+]?\d+)?/, 'number'],
        [/\b(true|false|null)\b/, 'keyword'],
      ],
    },
  });
}

export { monaco };
export type Monaco = typeof monaco;

/** The model URI of a file tab. */
export const fileUri = (name: string) => monaco.Uri.parse(`file:///${name}`);

/** The scheme of read-only sources outside the project (the SDK's, opened by go to definition). */
export const SDK_SCHEME = 'sdk';
/** The model URI of a read-only source, from the display path the server gives. */
export const sdkUri = (path: string) => monaco.Uri.from({ scheme: SDK_SCHEME, path: `/${path}` });
