// Editor features fed by the server: go.mod highlighting, config.yaml key
// completion and hovers from the plugin's config schema, and quick fixes for
// the proxy-wasm lints.
import type { Diagnostic } from '../api/types';
import { keyDocAt, keySuggestions, type JsonSchema } from '../lib/configSchema';
import { CONFIG_FILE } from '../lib/fileNames';
import { useStore } from '../state/store';
import { diagnosticsVersion } from './fixVersions';
import { mergeDiagnostics } from './markers';
import { monaco } from './monacoSetup';

let registered = false;

const pathOf = (uri: { path: string }) => uri.path.replace(/^\//, '');
const schema = () => (useStore.getState().analysis?.schema ?? null) as JsonSchema | null;

/** Diagnostics with a quick fix, for a file. */
function fixable(file: string): Diagnostic[] {
  const s = useStore.getState();
  return mergeDiagnostics(s.build, s.analysis).filter((d) => d.fix && d.fix.edits.length && d.file === file);
}

export function registerLanguageFeatures() {
  if (registered) return;
  registered = true;

  monaco.languages.register({ id: 'gomod', filenames: ['go.mod'], aliases: ['go.mod'] });
  monaco.languages.setLanguageConfiguration('gomod', {
    comments: { lineComment: '//' },
    brackets: [['(', ')']],
    autoClosingPairs: [{ open: '(', close: ')' }, { open: '"', close: '"' }],
  });
  monaco.languages.setMonarchTokensProvider('gomod', {
    tokenizer: {
      root: [
        [/\/\/.*$/, 'comment'],
        [/^\s*(module|go|toolchain|require|replace|exclude|retract|godebug|tool)\b/, 'keyword'],
        [/=>/, 'operator'],
        [/\bv\d+\.\d+\.\d+[\w.+-]*/, 'number'],
        [/\b\d+\.\d+(\.\d+)?\b/, 'number'],
        [/"[^"]*"/, 'string'],
        [/[()]/, '@brackets'],
        [/[\w.-]+(\/[\w.~-]+)+/, 'type.identifier'],
      ],
    },
  });

  monaco.languages.registerCompletionItemProvider('yaml', {
    triggerCharacters: [' ', '-'],
    provideCompletionItems(model, position) {
      if (pathOf(model.uri) !== CONFIG_FILE) return { suggestions: [] };
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const suggestions = keySuggestions(model.getValue(), position.lineNumber, position.column, schema()).map((s, i) => ({
        label: s.key,
        kind: monaco.languages.CompletionItemKind.Property,
        detail: s.type ? `${s.type} — config key the plugin reads` : 'config key',
        documentation: s.description,
        insertText: s.insertText,
        sortText: `${s.key.startsWith('_') ? 1 : 0}${String(i).padStart(3, '0')}`,
        range,
      }));
      return { suggestions };
    },
  });

  monaco.languages.registerHoverProvider('yaml', {
    provideHover(model, position) {
      if (pathOf(model.uri) !== CONFIG_FILE) return null;
      const doc = keyDocAt(model.getValue(), position.lineNumber, position.column, schema());
      if (!doc) return null;
      return { contents: [{ value: `**${doc.key}**` }, { value: doc.doc }] };
    },
  });

  monaco.languages.registerCodeActionProvider('*', {
    provideCodeActions(model, range, context) {
      const file = pathOf(model.uri);
      const actions: import('monaco-editor').languages.CodeAction[] = [];
      // Edited since the lints came: their fixes wait for the next analysis.
      const versionId = diagnosticsVersion(model);
      if (versionId === null) return { actions, dispose() {} };
      for (const d of fixable(file)) {
        const endLine = d.endLine ?? d.line;
        if (endLine < range.startLineNumber || d.line > range.endLineNumber) continue;
        const markers = context.markers.filter((m) => m.startLineNumber === d.line && (m.code === d.code || String(m.code ?? '') === d.code));
        actions.push({
          title: d.fix!.title,
          kind: 'quickfix',
          isPreferred: true,
          diagnostics: markers,
          edit: {
            edits: d.fix!.edits.map((e) => ({
              resource: model.uri,
              versionId,
              textEdit: { range: new monaco.Range(e.line, e.column, e.endLine, e.endColumn), text: e.text },
            })),
          },
        });
      }
      return { actions, dispose() {} };
    },
  });
}
