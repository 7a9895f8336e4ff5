// Go intelligence: the HTTP API in front of gopls (completion, hover, signature help, go to
// definition, diagnostics while typing). Every position is 1-based, lines and columns as Monaco
// counts them (columns in UTF-16 code units). See docs in the README, "Go intelligence".
//
//   POST   /api/lsp                      LspOpenRequest     → LspOpenAnswer
//   GET    /api/lsp/{id}                                    → LspStatus
//   POST   /api/lsp/{id}/files           LspFileChange      → LspDiagnosticsAnswer
//   GET    /api/lsp/{id}/diagnostics                        → LspDiagnosticsAnswer
//   POST   /api/lsp/{id}/completion      LspPositionRequest → LspCompletionAnswer
//   POST   /api/lsp/{id}/hover           LspPositionRequest → LspHoverAnswer
//   POST   /api/lsp/{id}/signature       LspPositionRequest → LspSignatureAnswer
//   POST   /api/lsp/{id}/definition      LspPositionRequest → LspDefinitionAnswer
//   DELETE /api/lsp/{id}                                    → 204
//
// A workspace belongs to the client that opened it (403 for others; 404 once deleted or forgotten).
// When intelligence is off for a workspace (gopls crashed, reached its memory cap, stopped after
// being idle, ...) or on the whole server, answers are `LspOff` with status 200: the editor shows
// the note and goes on without intelligence; it never breaks.
import { z } from 'zod';
import { Diagnostic, FileMap } from './build.js';

/** Why intelligence is off. */
export const LspOffCause = z.enum([
  /** gopls is not installed, no sandbox works for it, or the server turned intelligence off. */
  'unavailable',
  /** The workspace was not used for the idle time (PLAYGROUND_GOPLS_IDLE_MS). */
  'idle',
  /** gopls used more memory than its cap (PLAYGROUND_GOPLS_MEMORY_MB). */
  'memory',
  /** gopls did not finish loading the project in time (PLAYGROUND_GOPLS_START_TIMEOUT_MS). */
  'start-timeout',
  /** gopls exited or broke the protocol. */
  'crash',
  /** Stopped to make room: too many gopls at once, on the server or for this client. */
  'evicted',
  /** The server is shutting down. */
  'shutdown',
]);
export type LspOffCause = z.infer<typeof LspOffCause>;

/** Intelligence is off for this workspace (or the server): a note for the user, never an error. */
export const LspOff = z.object({
  off: z.string(),
  cause: LspOffCause,
  /**
   * Whether opening a new workspace (POST /api/lsp) is worth trying: true after idle time or an
   * eviction, false after a crash or a cap, which the same sources would reach again.
   */
  retry: z.boolean(),
});
export type LspOff = z.infer<typeof LspOff>;

export const isLspOff = (v: unknown): v is LspOff => typeof v === 'object' && v !== null && typeof (v as LspOff).off === 'string';

/** POST /api/lsp: the project as the build gets it (`go.mod`/`go.sum` optional: the template's otherwise). */
export const LspOpenRequest = z.object({ files: FileMap }).strict();
export type LspOpenRequest = z.infer<typeof LspOpenRequest>;

export const LspOpened = z.object({
  workspaceId: z.string(),
  /** e.g. `v0.23.0` */
  goplsVersion: z.string(),
});
export type LspOpened = z.infer<typeof LspOpened>;
export const LspOpenAnswer = z.union([LspOpened, LspOff]);
export type LspOpenAnswer = z.infer<typeof LspOpenAnswer>;

/** GET /api/lsp/{id}: what the workspace is doing. */
export const LspStatus = z.object({
  workspaceId: z.string(),
  /** `starting`: gopls is loading the project (requests wait for it). */
  state: z.enum(['starting', 'ready', 'off']),
  off: LspOff.optional(),
  /** Resident memory of gopls and its children, last measured. */
  memoryBytes: z.number().int().optional(),
  /** Milliseconds from start to the project loaded. */
  startMs: z.number().int().optional(),
});
export type LspStatus = z.infer<typeof LspStatus>;

/**
 * POST /api/lsp/{id}/files: one file as typed (didChange), a new file (didOpen), or `text: null`
 * to delete it. `version`, when given, orders the edits of one file: an edit older than one already
 * applied is ignored (its diagnostics are still answered). Changing `go.mod`/`go.sum` (or imports
 * in a project with its own go.mod) runs the build's dependency step in the background.
 */
export const LspFileChange = z
  .object({ path: z.string().min(1), text: z.string().nullable(), version: z.number().int().nonnegative().optional() })
  .strict();
export type LspFileChange = z.infer<typeof LspFileChange>;

/** The diagnostics of every project file, in the build's shape (warnings and errors only). */
export const LspDiagnostics = z.object({
  diagnostics: z.array(Diagnostic),
  /**
   * False when gopls had not answered for the changed file within the wait (~1.5 s): the list is
   * then the last one known; ask again (GET …/diagnostics) a little later.
   */
  settled: z.boolean(),
});
export type LspDiagnostics = z.infer<typeof LspDiagnostics>;
export const LspDiagnosticsAnswer = z.union([LspDiagnostics, LspOff]);
export type LspDiagnosticsAnswer = z.infer<typeof LspDiagnosticsAnswer>;

/**
 * Where a request is about. `text`, when given, is the file's current text: applied first when it
 * differs from what the server has (so a completion right after typing `proxywasm.` sees the dot).
 */
export const LspPositionRequest = z
  .object({
    path: z.string().min(1),
    line: z.number().int().min(1),
    column: z.number().int().min(1),
    text: z.string().optional(),
  })
  .strict();
export type LspPositionRequest = z.infer<typeof LspPositionRequest>;

/** 1-based, the end exclusive (Monaco's IRange). */
export const LspRange = z.object({
  line: z.number().int(),
  column: z.number().int(),
  endLine: z.number().int(),
  endColumn: z.number().int(),
});
export type LspRange = z.infer<typeof LspRange>;

export const LspCompletionKind = z.enum([
  'text', 'method', 'function', 'constructor', 'field', 'variable', 'class', 'interface', 'module', 'property',
  'unit', 'value', 'enum', 'keyword', 'snippet', 'color', 'file', 'reference', 'folder', 'enumMember',
  'constant', 'struct', 'event', 'operator', 'typeParameter',
]);
export type LspCompletionKind = z.infer<typeof LspCompletionKind>;

export const LspCompletionItem = z.object({
  label: z.string(),
  kind: LspCompletionKind,
  /** The type or signature, e.g. `func(key string, value string) error`. */
  detail: z.string().optional(),
  /** The doc comment, markdown. */
  documentation: z.string().optional(),
  /** What to insert; a snippet (`${1:key string}` placeholders) when `snippet`. */
  insertText: z.string(),
  snippet: z.boolean(),
  /** What the insertion replaces (absent: the word at the cursor). */
  range: LspRange.optional(),
  sortText: z.string().optional(),
  filterText: z.string().optional(),
  preselect: z.boolean().optional(),
  deprecated: z.boolean().optional(),
  /** Edits elsewhere, e.g. an import added to the file's import block. */
  additionalEdits: z.array(LspRange.extend({ text: z.string() })).optional(),
});
export type LspCompletionItem = z.infer<typeof LspCompletionItem>;

export const LspCompletion = z.object({
  items: z.array(LspCompletionItem),
  /** More items may come when typing further (ask again rather than filtering). */
  incomplete: z.boolean(),
});
export type LspCompletion = z.infer<typeof LspCompletion>;
export const LspCompletionAnswer = z.union([LspCompletion, LspOff]);
export type LspCompletionAnswer = z.infer<typeof LspCompletionAnswer>;

/** `hover: null` when there is nothing to say at the position. */
export const LspHover = z.object({
  hover: z.object({ markdown: z.string(), range: LspRange.optional() }).nullable(),
});
export type LspHover = z.infer<typeof LspHover>;
export const LspHoverAnswer = z.union([LspHover, LspOff]);
export type LspHoverAnswer = z.infer<typeof LspHoverAnswer>;

export const LspSignatureParameter = z.object({
  label: z.string(),
  /** Where the parameter is in the signature's label: [start, end) in UTF-16 code units. */
  offsets: z.tuple([z.number().int(), z.number().int()]).optional(),
  documentation: z.string().optional(),
});

export const LspSignatureInformation = z.object({
  /** e.g. `AddHttpRequestHeader(key string, value string) error` */
  label: z.string(),
  documentation: z.string().optional(),
  parameters: z.array(LspSignatureParameter),
  activeParameter: z.number().int().optional(),
});

/** `signature: null` outside a call. */
export const LspSignature = z.object({
  signature: z
    .object({
      signatures: z.array(LspSignatureInformation),
      activeSignature: z.number().int(),
      activeParameter: z.number().int(),
    })
    .nullable(),
});
export type LspSignature = z.infer<typeof LspSignature>;
export const LspSignatureAnswer = z.union([LspSignature, LspOff]);
export type LspSignatureAnswer = z.infer<typeof LspSignatureAnswer>;

export const LspLocation = LspRange.extend({
  /**
   * A project path (`main.go`), or for a file outside the project a display path: the module and
   * version then the file (`github.com/higress-group/proxy-wasm-go-sdk@v0.0.0-…/proxywasm/hostcall.go`),
   * or `$GOROOT/src/…` for the standard library.
   */
  path: z.string(),
  /** Outside the project: open `text` read-only. */
  external: z.boolean(),
  /** The file's text, for external files (absent when it is too large to send). */
  text: z.string().optional(),
});
export type LspLocation = z.infer<typeof LspLocation>;

export const LspDefinition = z.object({ definitions: z.array(LspLocation) });
export type LspDefinition = z.infer<typeof LspDefinition>;
export const LspDefinitionAnswer = z.union([LspDefinition, LspOff]);
export type LspDefinitionAnswer = z.infer<typeof LspDefinitionAnswer>;

/** /api/health `intelligence`: whether Go intelligence (gopls) is offered, and why not. */
export const IntelligenceStatus = z.object({
  available: z.boolean(),
  reason: z.string().optional(),
  /** The gopls version, when available. */
  gopls: z.string().optional(),
  /** gopls running now, and how many may. */
  running: z.number().int().optional(),
  max: z.number().int().optional(),
});
export type IntelligenceStatus = z.infer<typeof IntelligenceStatus>;
