import { z } from 'zod';
import { GatewayProfile } from './gateway.js';
import { IntelligenceStatus } from './lsp.js';

export const Health = z.object({
  ok: z.boolean(),
  go: z.object({ version: z.string() }),
  runtimes: z.object({ embedded: z.boolean(), docker: z.boolean() }),
  /** The Docker engine behind the docker runtime: why it is not offered, and which images it holds. */
  docker: z
    .object({
      available: z.boolean(),
      reason: z.string().optional(),
      engineVersion: z.string().optional(),
      images: z.record(z.string(), z.boolean()),
    })
    .optional(),
  /** How untrusted builds are isolated: `bwrap`, a `docker` container, or `none` when explicitly allowed. */
  sandbox: z.object({ mode: z.enum(['bwrap', 'docker', 'none']), reason: z.string().optional() }),
  builds: z.object({ running: z.number().int(), queued: z.number().int(), slots: z.number().int() }),
  /**
   * Sessions: live, being started, and ended but still holding their plugin's thread (they count
   * against the caps until it has exited).
   */
  sessions: z.object({ live: z.number().int(), starting: z.number().int(), ending: z.number().int(), total: z.number().int() }).optional(),
  /** The server is shutting down: it refuses new sessions (and answers 503) while live ones finish. */
  draining: z.boolean().optional(),
  /** The gateway profiles sessions can reproduce, with their default settings. */
  gatewayProfiles: z.array(GatewayProfile).optional(),
  /** Go intelligence (gopls: completion, hover, diagnostics while typing): offered, or why not. */
  intelligence: IntelligenceStatus.optional(),
});
export type Health = z.infer<typeof Health>;
