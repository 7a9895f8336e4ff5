// The Monaco editor showing the open tab. Keeps one model per file (so markers
// exist on tabs that are not open), sets build and YAML markers, binds
// Ctrl/Cmd+Enter to Run, and jumps to spots the Build pane asks for. A
// read-only tab (an SDK source opened by go to definition) shows its own
// model, `sdk:/…` (goIntelligence.ts); its text never reaches the store's
// files. Part of
// the editor's chunk (editorChunk.ts): only EditorHost renders it, once loaded.
import Editor, { type OnMount } from '@monaco-editor/react';
import { checkConfigYaml } from '@playground/shared';
import { useEffect, useMemo, useRef } from 'react';
import { useStore } from '../state/store';
import { readOnlyTabId } from '../state/workspace';
import { CONFIG_FILE, languageOf } from '../lib/fileNames';
import { schemaProblems, type JsonSchema } from '../lib/configSchema';
import { recordDiagnosticsVersion } from './fixVersions';
import { EditorPlaceholder } from './EditorPlaceholder';
import { diagnosticMarkers, mergeDiagnostics, schemaMarkers, yamlMarkers, type MarkerData } from './markers';
import { fileUri, monaco, sdkUri } from './monacoSetup';

type Editor = Parameters<OnMount>[0];

const severity = (s: MarkerData['severity']) =>
  s === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Error;

const OWNER = 'playground';

function setMarkers(model: import('monaco-editor').editor.ITextModel, marks: MarkerData[]) {
  monaco.editor.setModelMarkers(
    model,
    OWNER,
    marks.map((m) => ({ ...m, severity: severity(m.severity) })),
  );
}

export function CodeEditor() {
  const files = useStore((s) => s.files);
  const config = useStore((s) => s.config);
  const activeFile = useStore((s) => s.activeFile);
  const readOnlyTabs = useStore((s) => s.readOnlyTabs);
  const theme = useStore((s) => s.theme);
  const build = useStore((s) => s.build);
  const analysis = useStore((s) => s.analysis);
  const reveal = useStore((s) => s.reveal);
  const setFileContent = useStore((s) => s.setFileContent);
  const setConfig = useStore((s) => s.setConfig);
  const editorRef = useRef<Editor | null>(null);

  const all = useMemo(() => [...files, { name: CONFIG_FILE, content: config }], [files, config]);
  const readOnly = readOnlyTabs.find((t) => readOnlyTabId(t.path) === activeFile) ?? null;
  const active = readOnly ? { name: activeFile, content: readOnly.text } : (all.find((f) => f.name === activeFile) ?? all[0]);
  const language = readOnly ? 'go' : languageOf(active.name);
  const yamlProblem = useMemo(() => checkConfigYaml(config), [config]);

  // One model per file; dispose models of deleted files; sync external edits.
  useEffect(() => {
    const names = new Set(all.map((f) => f.name));
    for (const f of all) {
      const uri = fileUri(f.name);
      const model = monaco.editor.getModel(uri);
      if (!model) monaco.editor.createModel(f.content, languageOf(f.name), uri);
      else if (model.getValue() !== f.content && f.name !== active.name) model.setValue(f.content);
    }
    for (const model of monaco.editor.getModels()) {
      const name = model.uri.path.replace(/^\//, '');
      if (model.uri.scheme !== 'file' || names.has(name)) continue;
      // Markers outlive their model; a file created later at this path would show them.
      monaco.editor.setModelMarkers(model, OWNER, []);
      model.dispose();
    }
  }, [all, active.name]);

  // Markers: build diagnostics and lints on any project file (go.mod too);
  // the YAML check, then the config schema from the plugin's code, on config.yaml.
  const diagnostics = useMemo(() => mergeDiagnostics(build, analysis), [build, analysis]);
  const configProblems = useMemo(
    () => (yamlProblem ? [] : schemaProblems(config, (analysis?.schema ?? null) as JsonSchema | null)),
    [config, yamlProblem, analysis],
  );
  // Source files: only when the diagnostics change (or a file appears), not on
  // every keystroke: Monaco moves existing markers along with the edits.
  const fileNames = useMemo(() => files.map((f) => f.name).join('\n'), [files]);
  useEffect(() => {
    for (const name of fileNames.split('\n')) {
      const model = monaco.editor.getModel(fileUri(name));
      if (!model) continue;
      setMarkers(model, diagnosticMarkers(diagnostics, name, model.getValue()));
      recordDiagnosticsVersion(model);
    }
  }, [fileNames, diagnostics]);
  // config.yaml: the YAML check follows the typing.
  useEffect(() => {
    const model = monaco.editor.getModel(fileUri(CONFIG_FILE));
    if (!model) return;
    setMarkers(
      model,
      yamlProblem ? yamlMarkers(yamlProblem, config) : [...schemaMarkers(configProblems), ...diagnosticMarkers(diagnostics, CONFIG_FILE, config)],
    );
  }, [config, diagnostics, yamlProblem, configProblems]);

  // Jump to a spot (from the Build pane or a failed check).
  useEffect(() => {
    if (!reveal || reveal.file !== active.name) return;
    const id = setTimeout(() => {
      const ed = editorRef.current;
      if (!ed) return;
      ed.setPosition({ lineNumber: reveal.line, column: reveal.column });
      ed.revealPositionInCenter({ lineNumber: reveal.line, column: reveal.column });
      ed.focus();
    }, 0);
    return () => clearTimeout(id);
  }, [reveal, active.name]);

  const onMount: OnMount = (ed) => {
    editorRef.current = ed;
    ed.addAction({
      id: 'playground.run',
      label: 'Run the plugin',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => void useStore.getState().run(),
    });
  };

  return (
    <div className="code-editor" data-testid="code-editor">
      <Editor
        path={(readOnly ? sdkUri(readOnly.path) : fileUri(active.name)).toString()}
        language={language}
        value={active.content}
        theme={theme === 'dark' ? 'vs-dark' : 'vs'}
        onMount={onMount}
        onChange={(v) => {
          // The file is the one of the model that changed, not this render's: @monaco-editor/react
          // swaps the model (and sets a read-only tab's text, which fires a change) before it
          // subscribes the new render's handler.
          const model = editorRef.current?.getModel();
          if (!model || model.uri.scheme !== 'file') return;
          const name = model.uri.path.replace(/^\//, '');
          if (name === CONFIG_FILE) setConfig(v ?? '');
          else setFileContent(name, v ?? '');
        }}
        options={{
          automaticLayout: true,
          minimap: { enabled: false },
          fontSize: 13,
          scrollBeyondLastLine: false,
          tabSize: language === 'yaml' ? 2 : 4,
          insertSpaces: !['go', 'gomod'].includes(language),
          detectIndentation: false,
          readOnly: readOnly !== null,
          readOnlyMessage: { value: 'A source outside the project, read-only: close its tab to go back.' },
          ariaLabel: readOnly ? `Editor for ${readOnly.path} (read-only)` : `Editor for ${active.name}`,
          fixedOverflowWidgets: true,
        }}
        loading={<EditorPlaceholder />}
      />
    </div>
  );
}

/**
 * Test and debugging hook: the markers currently set, by file: the build's, the lints' and the
 * config's (owner `playground`), or another owner's (`gopls`: Go intelligence).
 */
export function currentMarkers(owner = OWNER) {
  return monaco.editor.getModelMarkers({ owner }).map((m) => ({
    file: m.resource.path.replace(/^\//, ''),
    line: m.startLineNumber,
    column: m.startColumn,
    message: m.message,
    severity: m.severity === monaco.MarkerSeverity.Warning ? 'warning' : 'error',
    code: typeof m.code === 'string' ? m.code : m.code?.value,
  }));
}
