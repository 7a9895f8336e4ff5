// Lets Monaco's own "Format Document" (Shift+Alt+F) run gofmt on the server.
import { api } from '../api/client';
import { monaco } from './monacoSetup';

let registered = false;

export function registerGoFormatter() {
  if (registered) return;
  registered = true;
  monaco.languages.registerDocumentFormattingEditProvider('go', {
    async provideDocumentFormattingEdits(model) {
      try {
        const res = await api.format(model.getValue());
        if (!('source' in res)) return [];
        return [{ range: model.getFullModelRange(), text: res.source }];
      } catch {
        return [];
      }
    },
  });
}
