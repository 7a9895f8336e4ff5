/** The server cannot isolate untrusted code right now (no bubblewrap, unsandboxed builds not allowed). */
export class SandboxUnavailableError extends Error {}

/** A tool of the playground (gofmt, playground-vet) failed or is missing: the server's fault, not the user's. */
export class ToolFailedError extends Error {}

/** A speculative build that was not started (or was stopped): nothing is wrong, the route says why. */
export class SpeculativeSkipped extends Error {}
