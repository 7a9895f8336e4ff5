/** The server cannot isolate untrusted code right now (no bubblewrap, unsandboxed builds not allowed). */
export class SandboxUnavailableError extends Error {}

/** A tool of the playground (gofmt, playground-vet) failed or is missing: the server's fault, not the user's. */
export class ToolFailedError extends Error {}
