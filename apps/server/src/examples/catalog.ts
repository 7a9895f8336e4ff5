import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GatewaySettings, Scenario, SavedRequest, ServiceList, type ExampleSummary } from '@playground/shared';
import { z } from 'zod';

/** A README's `Uses: A, B, C` line: the SDK methods the example calls. */
const USES_LINE = /^Uses:[ \t]*(.*)$/gm;

/** The SDK method names of a README's `Uses:` line (the last one, when there are several). */
export function usesOf(readme: string): string[] {
  const lines = [...readme.matchAll(USES_LINE)];
  const last = lines.at(-1)?.[1] ?? '';
  return [...new Set(last.split(',').map((m) => m.trim().replace(/^`|`$/g, '')).filter(Boolean))];
}

/**
 * The example plugins in `examples/`: each folder has its Go files, `config.yaml`,
 * `requests.json`, optionally `services.json` (the services it calls) and `gateway.json` (gateway
 * settings, such as a route to an LLM service), and a README whose
 * first heading is the title, first paragraph the summary, and last line `Uses: <SDK methods>`
 * (comma separated; the gallery searches them).
 */
export class ExampleCatalog {
  constructor(private readonly dir: string) {}

  async list(): Promise<ExampleSummary[]> {
    const names = (await readdir(this.dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    const out: ExampleSummary[] = [];
    for (const name of names.sort()) {
      const readme = await readFile(path.join(this.dir, name, 'README.md'), 'utf8').catch(() => '');
      const title = /^#\s+(.+)$/m.exec(readme)?.[1].trim() ?? name;
      const description =
        readme
          .split(/\n\s*\n/)
          .map((p) => p.trim())
          .find((p) => p && !p.startsWith('#') && !p.startsWith('Uses:'))
          ?.replace(/\s+/g, ' ') ?? '';
      const uses = usesOf(readme);
      out.push({ name, title, description, ...(uses.length ? { uses } : {}) });
    }
    return out;
  }

  /** The example's scenario, or null for an unknown name. */
  async get(name: string): Promise<Scenario | null> {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return null;
    const folder = path.join(this.dir, name);
    const entries = await readdir(folder).catch(() => null);
    if (!entries) return null;
    const files: Record<string, string> = {};
    for (const f of entries.filter((e) => e.endsWith('.go')).sort()) files[f] = await readFile(path.join(folder, f), 'utf8');
    const config = await readFile(path.join(folder, 'config.yaml'), 'utf8').catch(() => '');
    const requestsText = await readFile(path.join(folder, 'requests.json'), 'utf8').catch(() => '[]');
    const requests = z.array(SavedRequest).parse(JSON.parse(requestsText));
    // The services the example's callouts need (services.json), as a gateway would have them.
    const servicesText = await readFile(path.join(folder, 'services.json'), 'utf8').catch(() => null);
    const services = servicesText === null ? undefined : ServiceList.parse(JSON.parse(servicesText));
    // The gateway settings it needs (gateway.json), e.g. a route that goes to an LLM service.
    const gatewayText = await readFile(path.join(folder, 'gateway.json'), 'utf8').catch(() => null);
    const gateway = gatewayText === null ? undefined : GatewaySettings.parse(JSON.parse(gatewayText));
    return Scenario.parse({ files, config, requests, ...(services ? { services } : {}), ...(gateway ? { gateway } : {}) });
  }
}
