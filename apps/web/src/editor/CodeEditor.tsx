// The Monaco editor showing the open tab. Keeps one model per file (so markers
// exist on tabs that are not open), sets build and YAML markers, binds
// Ctrl/Cmd+Enter to Run, and jumps to spots the Build pane asks for. Part of
// the editor's chunk (editorChunk.ts): only EditorHost renders it, once loaded.
import Editor, { type OnMount } from '@monaco-editor/react';
import { checkConfigYaml } from '@playground/shared';
import { useEffect, useMemo, useRef } from 'react';
import { useStore } from '../state/store';
import { CONFIG_FILE, languageOf } from '../lib/fileNames';
import { schemaProblems, type JsonSchema } from '../lib/configSchema';
import { recordDiagnosticsVersion } from './fixVersions';
import { EditorPlaceholder } from './EditorPlaceholder';
import { diagnosticMarkers, mergeDiagnostics, schemaMarkers, yamlMarkers, type MarkerData } from './markers';
import { fileUri, monaco } from './monacoSetup';

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
  const theme = useStore((s) => s.theme);
  const build = useStore((s) => s.build);
  const analysis = useStore((s) => s.analysis);
  const reveal = useStore((s) => s.reveal);
  const setFileContent = useStore((s) => s.setFileContent);
  const setConfig = useStore((s) => s.setConfig);
  const editorRef = useRef<Editor | null>(null);

  const all = useMemo(() => [...files, { name: CONFIG_FILE, content: config }], [files, config]);
  const active = all.find((f) => f.name === activeFile) ?? all[0];
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
      ed.revealLineInCenter(reveal.line);
      ed.setPosition({ lineNumber: reveal.line, column: reveal.column });
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
        path={fileUri(active.name).toString()}
        language={languageOf(active.name)}
        value={active.content}
        theme={theme === 'dark' ? 'vs-dark' : 'vs'}
        onMount={onMount}
        onChange={(v) => (active.name === CONFIG_FILE ? setConfig(v ?? '') : setFileContent(active.name, v ?? ''))}
        options={{
          automaticLayout: true,
          minimap: { enabled: false },
          fontSize: 13,
          scrollBeyondLastLine: false,
          tabSize: languageOf(active.name) === 'yaml' ? 2 : 4,
          insertSpaces: !['go', 'gomod'].includes(languageOf(active.name)),
          detectIndentation: false,
          ariaLabel: `Editor for ${active.name}`,
          fixedOverflowWidgets: true,
        }}
        loading={<EditorPlaceholder />}
      />
    </div>
  );
}

/** Test and debugging hook: the markers currently set, by file. */
export function currentMarkers() {
  return monaco.editor.getModelMarkers({ owner: OWNER }).map((m) => ({
    file: m.resource.path.replace(/^\//, ''),
    line: m.startLineNumber,
    column: m.startColumn,
    message: m.message,
    severity: m.severity === monaco.MarkerSeverity.Warning ? 'warning' : 'error',
    code: typeof m.code === 'string' ? m.code : m.code?.value,
  }));
}
