// Go intelligence in the editor (part of the editor's chunk): Monaco providers
// for Go files — completion (after `.`), hover, signature help (after `(` and
// `,`), go to definition — answered by gopls on the server through the small
// client in lsp/client.ts, and gopls's diagnostics as markers of their own
// owner (`gopls`), beside the build's and the lints' (`playground`, set by
// CodeEditor). A definition in the project jumps to it; one outside (the SDK,
// the standard library) opens read-only in a tab (state/workspace.ts
// `openReadOnly`, model URI `sdk:/<display path>`). Every provider answers
// nothing when intelligence is off, a call fails or takes too long.
import type { editor, IDisposable, IRange, languages, CancellationToken } from 'monaco-editor';
import type { Diagnostic, LspCompletionItem, LspRange } from '../api/types';
import type { LspClient } from '../lsp/client';
import { connectIntelligence } from '../lsp/connect';
import { CONFIG_FILE } from '../lib/fileNames';
import { useStore } from '../state/store';
import { diagnosticMarkers } from './markers';
import { fileUri, monaco, SDK_SCHEME, sdkUri } from './monacoSetup';

export const GOPLS_OWNER = 'gopls';
/** The owner of the build's and the lints' markers (CodeEditor.tsx). */
const BUILD_OWNER = 'playground';

let client: LspClient | null = null;

const projectPath = (model: editor.ITextModel): string | null => {
  if (model.uri.scheme !== 'file') return null;
  const path = model.uri.path.replace(/^\//, '');
  return path.endsWith('.go') && path !== CONFIG_FILE ? path : null;
};

const toRange = (r: LspRange): IRange => ({
  startLineNumber: r.line,
  startColumn: r.column,
  endLineNumber: r.endLine,
  endColumn: r.endColumn,
});

/** An AbortSignal that follows Monaco's cancellation token (the user typed on, moved away). */
function signalOf(token: CancellationToken): AbortSignal {
  const ctl = new AbortController();
  if (token.isCancellationRequested) ctl.abort();
  else token.onCancellationRequested(() => ctl.abort());
  return ctl.signal;
}

/** A request about `position` in `model`, with the model's text (sent when the server's copy is older). */
async function ask<K extends 'completion' | 'hover' | 'signature' | 'definition'>(
  op: K,
  model: editor.ITextModel,
  position: { lineNumber: number; column: number },
  token: CancellationToken,
) {
  const path = projectPath(model);
  if (!client || !path) return null;
  try {
    return await client.request(
      op,
      { path, line: position.lineNumber, column: position.column },
      model.getValue(),
      signalOf(token),
    );
  } catch (err) {
    console.warn(`Go intelligence: ${op} failed:`, err);
    return null;
  }
}

// --- diagnostics as markers

let diagnostics: Diagnostic[] = [];

/** gopls's diagnostics on every project model, less what the build's markers say already. */
function applyMarkers() {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  for (const model of monaco.editor.getModels()) {
    if (model.uri.scheme !== 'file') continue;
    const name = model.uri.path.replace(/^\//, '');
    const mine = byFile.get(name);
    if (!mine?.length) {
      if (monaco.editor.getModelMarkers({ owner: GOPLS_OWNER, resource: model.uri }).length)
        monaco.editor.setModelMarkers(model, GOPLS_OWNER, []);
      continue;
    }
    const build = monaco.editor.getModelMarkers({ owner: BUILD_OWNER, resource: model.uri });
    const said = (line: number, message: string) =>
      build.some(
        (b) => b.startLineNumber === line && (b.message === message || b.message.startsWith(`${message} [`)),
      );
    const marks = diagnosticMarkers(mine, name, model.getValue())
      .filter((m) => !said(m.startLineNumber, m.message))
      .map((m) => ({
        ...m,
        source: 'gopls',
        severity: m.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Error,
      }));
    monaco.editor.setModelMarkers(model, GOPLS_OWNER, marks);
  }
}

function showDiagnostics(list: Diagnostic[] | null) {
  diagnostics = list ?? [];
  applyMarkers();
}

// --- completion

const KINDS: Record<LspCompletionItem['kind'], keyof typeof languages.CompletionItemKind> = {
  text: 'Text',
  method: 'Method',
  function: 'Function',
  constructor: 'Constructor',
  field: 'Field',
  variable: 'Variable',
  class: 'Class',
  interface: 'Interface',
  module: 'Module',
  property: 'Property',
  unit: 'Unit',
  value: 'Value',
  enum: 'Enum',
  keyword: 'Keyword',
  snippet: 'Snippet',
  color: 'Color',
  file: 'File',
  reference: 'Reference',
  folder: 'Folder',
  enumMember: 'EnumMember',
  constant: 'Constant',
  struct: 'Struct',
  event: 'Event',
  operator: 'Operator',
  typeParameter: 'TypeParameter',
};

/** Where an item goes: its range when it is on the cursor's line and starts before it, else the word at the cursor. */
function insertRange(
  item: LspCompletionItem,
  position: { lineNumber: number; column: number },
  word: IRange,
): IRange | languages.CompletionItemRanges {
  const r = item.range;
  if (!r || r.line !== position.lineNumber || r.endLine !== r.line || r.column > position.column) return word;
  const insert = {
    startLineNumber: r.line,
    startColumn: r.column,
    endLineNumber: r.line,
    endColumn: position.column,
  };
  return { insert, replace: { ...insert, endColumn: Math.max(r.endColumn, position.column) } };
}

function suggestion(
  item: LspCompletionItem,
  range: IRange | languages.CompletionItemRanges,
): languages.CompletionItem {
  return {
    label: item.label,
    kind: monaco.languages.CompletionItemKind[KINDS[item.kind] ?? 'Text'],
    ...(item.detail ? { detail: item.detail } : {}),
    ...(item.documentation ? { documentation: { value: item.documentation } } : {}),
    insertText: item.insertText,
    ...(item.snippet
      ? { insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet }
      : {}),
    range,
    ...(item.sortText ? { sortText: item.sortText } : {}),
    ...(item.filterText ? { filterText: item.filterText } : {}),
    ...(item.preselect ? { preselect: true } : {}),
    ...(item.deprecated ? { tags: [monaco.languages.CompletionItemTag.Deprecated] } : {}),
    ...(item.additionalEdits?.length
      ? { additionalTextEdits: item.additionalEdits.map((e) => ({ range: toRange(e), text: e.text })) }
      : {}),
  };
}

// --- definitions outside the project

/** The read-only model of a source outside the project (created once; its text as the server sent it). */
function readOnlyModel(path: string, text: string | undefined): editor.ITextModel {
  const uri = sdkUri(path);
  const existing = monaco.editor.getModel(uri);
  if (existing) return existing;
  const body = text ?? `// ${path}\n//\n// This file is too large to show here.\n`;
  return monaco.editor.createModel(body, 'go', uri);
}

const displayPath = (uri: { path: string }) => uri.path.replace(/^\//, '');

function positionOf(at: IRange | { lineNumber: number; column: number } | undefined): {
  line: number;
  column: number;
} {
  if (!at) return { line: 1, column: 1 };
  if ('startLineNumber' in at) return { line: at.startLineNumber, column: at.startColumn };
  return { line: at.lineNumber, column: at.column };
}

let registered = false;
const disposables: IDisposable[] = [];

export function registerGoIntelligence() {
  if (registered) return;
  registered = true;
  client = connectIntelligence(showDiagnostics).client;

  // A build's diagnostics replace gopls's (until the next edit brings gopls's again); a file's model
  // made later (a new tab, a moved file) gets the ones already known.
  useStore.subscribe((s, prev) => {
    if (s.build !== prev.build && s.build) showDiagnostics(null);
  });
  disposables.push(
    monaco.editor.onDidCreateModel(
      (m) => m.uri.scheme === 'file' && diagnostics.length && setTimeout(applyMarkers, 0),
    ),
  );

  disposables.push(
    monaco.languages.registerCompletionItemProvider('go', {
      triggerCharacters: ['.'],
      async provideCompletionItems(model, position, _context, token) {
        const answer = await ask('completion', model, position, token);
        if (!answer || !Array.isArray(answer.items)) return { suggestions: [] };
        const w = model.getWordUntilPosition(position);
        const word = {
          startLineNumber: position.lineNumber,
          startColumn: w.startColumn,
          endLineNumber: position.lineNumber,
          endColumn: w.endColumn,
        };
        return {
          incomplete: answer.incomplete === true,
          suggestions: answer.items.map((i) => suggestion(i, insertRange(i, position, word))),
        };
      },
    }),
  );

  disposables.push(
    monaco.languages.registerHoverProvider('go', {
      async provideHover(model, position, token) {
        const answer = await ask('hover', model, position, token);
        const hover = answer?.hover;
        if (!hover?.markdown) return null;
        return {
          contents: [{ value: hover.markdown }],
          ...(hover.range ? { range: toRange(hover.range) } : {}),
        };
      },
    }),
  );

  disposables.push(
    monaco.languages.registerSignatureHelpProvider('go', {
      signatureHelpTriggerCharacters: ['(', ','],
      signatureHelpRetriggerCharacters: [')'],
      async provideSignatureHelp(model, position, token) {
        const answer = await ask('signature', model, position, token);
        const help = answer?.signature;
        if (!help?.signatures?.length) return null;
        return {
          value: {
            activeSignature: help.activeSignature,
            activeParameter: help.activeParameter,
            signatures: help.signatures.map((s) => ({
              label: s.label,
              ...(s.documentation ? { documentation: { value: s.documentation } } : {}),
              ...(s.activeParameter !== undefined ? { activeParameter: s.activeParameter } : {}),
              parameters: (s.parameters ?? []).map((p) => ({
                label: p.offsets ?? p.label,
                ...(p.documentation ? { documentation: { value: p.documentation } } : {}),
              })),
            })),
          },
          dispose() {},
        };
      },
    }),
  );

  disposables.push(
    monaco.languages.registerDefinitionProvider('go', {
      async provideDefinition(model, position, token) {
        const answer = await ask('definition', model, position, token);
        if (!answer || !Array.isArray(answer.definitions)) return null;
        const files = new Set(useStore.getState().files.map((f) => f.name));
        const out: languages.Location[] = [];
        for (const d of answer.definitions) {
          if (!d.external && files.has(d.path)) out.push({ uri: fileUri(d.path), range: toRange(d) });
          else if (d.external) out.push({ uri: readOnlyModel(d.path, d.text).uri, range: toRange(d) });
        }
        return out;
      },
    }),
  );

  // Go to definition into another model: a project file's tab, or a read-only tab for the SDK's sources.
  disposables.push(
    monaco.editor.registerEditorOpener({
      openCodeEditor(_source, resource, selectionOrPosition) {
        const { line, column } = positionOf(selectionOrPosition);
        const s = useStore.getState();
        if (resource.scheme === 'file') {
          const path = displayPath(resource);
          if (path !== CONFIG_FILE && !s.files.some((f) => f.name === path)) return false;
          s.revealAt(path, line, column);
          return true;
        }
        if (resource.scheme === SDK_SCHEME) {
          const model = monaco.editor.getModel(resource);
          if (!model) return false;
          s.openReadOnly({ path: displayPath(resource), text: model.getValue() }, line, column);
          return true;
        }
        return false;
      },
    }),
  );

  // A closed read-only tab's model goes too, once no editor shows it (a peek may still).
  useStore.subscribe((s, prev) => {
    if (s.readOnlyTabs === prev.readOnlyTabs) return;
    const open = new Set(s.readOnlyTabs.map((t) => sdkUri(t.path).toString()));
    setTimeout(() => {
      for (const model of monaco.editor.getModels()) {
        if (model.uri.scheme === SDK_SCHEME && !open.has(model.uri.toString()) && !model.isAttachedToEditor())
          model.dispose();
      }
    }, 0);
  });
}
