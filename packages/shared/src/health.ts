import { z } from 'zod';

export const Health = z.object({
  ok: z.boolean(),
  go: z.object({ version: z.string() }),
  runtimes: z.object({ embedded: z.boolean(), docker: z.boolean() }),
  /** How untrusted builds are isolated: `bwrap`, or `none` when explicitly allowed. */
  sandbox: z.object({ mode: z.enum(['bwrap', 'none']), reason: z.string().optional() }),
  builds: z.object({ running: z.number().int(), queued: z.number().int(), slots: z.number().int() }),
});
export type Health = z.infer<typeof Health>;
