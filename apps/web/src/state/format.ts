// Format: gofmt the open Go file on the server (POST /api/format). Typing goes
// on while gofmt runs: text it has not seen is never overwritten.
import type { StateCreator } from 'zustand';
import { api } from '../api/client';
import { failureOutcome } from '../lib/outcome';
import type { Store } from './store';

export interface FormatSlice {
  formatActive: () => Promise<void>;
}

export const createFormatSlice: StateCreator<Store, [], [], FormatSlice> = (_set, get) => ({
  formatActive: async () => {
    const s = get();
    const file = s.files.find((f) => f.name === s.activeFile);
    if (!file) {
      s.notify('Format works on Go files; open main.go or another .go tab.');
      return;
    }
    try {
      const res = await api.format(file.content);
      if (get().files.find((f) => f.name === file.name)?.content !== file.content) {
        get().notify(`${file.name} changed while it was being formatted; press Format again.`);
        return;
      }
      if ('source' in res) {
        s.setFileContent(file.name, res.source);
        s.notify(null);
      } else {
        s.notify(`gofmt could not parse ${file.name}${res.line ? ` at line ${res.line}` : ''}: ${res.error}`);
        if (res.line) s.revealAt(file.name, res.line, res.column ?? 1);
      }
    } catch (err) {
      s.notify(failureOutcome(err).title + (err instanceof Error ? `: ${err.message}` : ''));
    }
  },
});
