// Which text the diagnostics' positions refer to: recorded when their markers
// are set. A quick fix carries the model version it was computed for, so
// Monaco refuses it once the text has changed (and its ranges point
// elsewhere) instead of applying it to shifted lines.
import type { editor } from 'monaco-editor';

const placedOn = new WeakMap<editor.ITextModel, { versionId: number; text: string }>();

export function recordDiagnosticsVersion(model: editor.ITextModel) {
  placedOn.set(model, { versionId: model.getVersionId(), text: model.getValue() });
}

/** The model's current version if the diagnostics still fit its text (undo back to it counts), else null. */
export function diagnosticsVersion(model: editor.ITextModel): number | null {
  const at = placedOn.get(model);
  if (!at) return null;
  return at.versionId === model.getVersionId() || at.text === model.getValue() ? model.getVersionId() : null;
}
