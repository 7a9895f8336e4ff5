import { z } from 'zod';

/** The user's sources: plain `*.go` file names mapped to their text. */
export const FileMap = z.record(z.string(), z.string());
export type FileMap = z.infer<typeof FileMap>;

export const BuildRequest = z.object({ files: FileMap }).strict();
export type BuildRequest = z.infer<typeof BuildRequest>;

/** A text edit: 1-based positions, the end exclusive. */
export const TextEdit = z.object({
  line: z.number().int(),
  column: z.number().int(),
  endLine: z.number().int(),
  endColumn: z.number().int(),
  text: z.string(),
});
export type TextEdit = z.infer<typeof TextEdit>;

/** A diagnostic's position is in `file` (`""` with line 0 for build-wide problems). */
export const Diagnostic = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  message: z.string(),
  /** Errors fail the build; warnings are hints about code that builds but will not behave. */
  severity: z.enum(['error', 'warning']).default('error'),
  /** Lints name their rule (e.g. `setctx-in-main`) and may span a range and carry a quick fix. */
  code: z.string().optional(),
  endLine: z.number().int().optional(),
  endColumn: z.number().int().optional(),
  fix: z.object({ title: z.string(), edits: z.array(TextEdit) }).optional(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

export const BuildSuccess = z.object({
  ok: z.literal(true),
  buildId: z.string(),
  cached: z.boolean(),
  durationMs: z.number(),
  wasmBytes: z.number().int(),
  output: z.string(),
  /** Hints about code that compiles but will not work in a gateway. */
  diagnostics: z.array(Diagnostic).default([]),
});
export type BuildSuccess = z.infer<typeof BuildSuccess>;

export const BuildFailure = z.object({
  ok: z.literal(false),
  diagnostics: z.array(Diagnostic),
  output: z.string(),
  durationMs: z.number().optional(),
});
export type BuildFailure = z.infer<typeof BuildFailure>;

export const BuildResult = z.discriminatedUnion('ok', [BuildSuccess, BuildFailure]);
export type BuildResult = z.infer<typeof BuildResult>;

/** GET /api/builds/{id}: the go.mod and go.sum a build used (the template's when the project had none). */
export const BuildModuleFiles = z.object({ buildId: z.string(), goMod: z.string(), goSum: z.string() });
export type BuildModuleFiles = z.infer<typeof BuildModuleFiles>;

/** POST /api/format: gofmt's output, or where the source does not parse (1-based). */
export const FormatResult = z.union([
  z.object({ source: z.string() }),
  z.object({ error: z.string(), line: z.number().int(), column: z.number().int() }),
]);
export type FormatResult = z.infer<typeof FormatResult>;

/** POST /api/import: a .zip in, the project it holds out. */
export const ImportedProject = z.object({
  files: FileMap,
  /** The root `config.yaml`, which is the plugin config rather than a file of the module. */
  config: z.string().optional(),
  /** Files of the archive the build does not use (Makefile, docs, ...), left out. */
  skipped: z.array(z.string()),
});
export type ImportedProject = z.infer<typeof ImportedProject>;
