import { z } from 'zod';
import { FileMap } from './build.js';
import { HttpRequestMessage } from './http.js';
import { GatewaySettings } from './gateway.js';
import { ServiceList } from './services.js';

/** A request the user keeps with a scenario, so it can be run again with one click. */
export const SavedRequest = HttpRequestMessage.extend({ name: z.string().max(200).default('') });
export type SavedRequest = z.infer<typeof SavedRequest>;

/** What a playground page holds: the plugin sources, its YAML config and its requests. */
export const Scenario = z
  .object({
    files: FileMap,
    config: z.string(),
    requests: z.array(SavedRequest).max(50).default([]),
    /** The services the gateway has (callouts, Redis, LLM), and the clock, when the scenario needs them. */
    services: ServiceList.optional(),
    clock: z.enum(['real', 'virtual']).optional(),
    /** The gateway profile and settings, when the scenario changes the default. */
    gateway: GatewaySettings.optional(),
  })
  .strict();
export type Scenario = z.infer<typeof Scenario>;

/**
 * An example in the gallery: its README's first heading (title) and first paragraph (description),
 * and the SDK methods its README's last `Uses:` line names (searchable by method name).
 */
export const ExampleSummary = z.object({ name: z.string(), title: z.string(), description: z.string(), uses: z.array(z.string()).optional() });
export type ExampleSummary = z.infer<typeof ExampleSummary>;

/** POST /api/share: the id of the stored scenario and its link (`/p/{id}`). */
export const ShareCreated = z.object({ id: z.string(), url: z.string() });
export type ShareCreated = z.infer<typeof ShareCreated>;
