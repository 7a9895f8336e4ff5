// The editor's code (Monaco, its language contributions and worker, our
// features on it, the editor component) is a chunk of its own, fetched once
// the page's shell is on screen: the toolbar, tree, request builder and panes
// never wait for it. This module is light (no Monaco): it holds that import
// and answers what the rest of the page asks of the editor before it is there.
import type * as EditorChunk from './editorChunk';

export type EditorModule = typeof EditorChunk;

let loading: Promise<EditorModule> | null = null;
let loaded: EditorModule | null = null;

/** Imports the editor's chunk once (a failed import may be tried again) and sets up its features. */
export function loadEditor(): Promise<EditorModule> {
  loading ??= import('./editorChunk').then(
    (m) => {
      m.setUpEditor();
      loaded = m;
      return m;
    },
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

/** The editor's chunk if it has loaded, else null. */
export const loadedEditor = (): EditorModule | null => loaded;

/** Test and debugging hook: the markers currently set, by file (none before the editor loaded); `owner`: `playground` (the default) or `gopls`. */
export function currentMarkers(owner?: string): ReturnType<EditorModule['currentMarkers']> {
  return loaded?.currentMarkers(owner) ?? [];
}
