// What loadEditor.ts imports after the shell painted, the only way in to
// Monaco: the bundled Monaco with its languages and worker (monacoSetup.ts,
// through CodeEditor), the editor component, and the features registered on
// Monaco (config.yaml completion and hovers, go.mod, quick fixes, gofmt, and
// Go intelligence: gopls's completion, hovers, signature help, definitions and
// diagnostics through lsp/client.ts).
import { registerGoFormatter } from './formatProvider';
import { registerGoIntelligence } from './goIntelligence';
import { registerLanguageFeatures } from './languageFeatures';

export { CodeEditor, currentMarkers } from './CodeEditor';

export function setUpEditor() {
  registerGoFormatter();
  registerLanguageFeatures();
  registerGoIntelligence();
}
