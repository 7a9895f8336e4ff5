import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Expectation, GatewaySettings, Lesson, SavedRequest, ServiceList, type LessonSummary } from '@playground/shared';
import { z } from 'zod';

/**
 * The tour's lessons in `tour/`, one folder each, in the order of their names (`01-hello`, ...):
 * `README.md` (the lesson; its first heading is the title), the starting Go files, `config.yaml`,
 * `requests.json`, `check.json` (the exercise's expectations), `solution/` (its Go files, and a
 * `config.yaml` when the exercise is about the config), and `services.json` / `gateway.json` when
 * needed.
 */
export class TourCatalog {
  constructor(private readonly dir: string) {}

  private async slugs(): Promise<string[]> {
    const entries = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory() && /^\d\d-[a-z0-9-]+$/.test(e.name)).map((e) => e.name).sort();
  }

  async list(): Promise<LessonSummary[]> {
    const out: LessonSummary[] = [];
    for (const slug of await this.slugs()) {
      const readme = await readFile(path.join(this.dir, slug, 'README.md'), 'utf8').catch(() => '');
      out.push({ slug, title: /^#\s+(.+)$/m.exec(readme)?.[1].trim() ?? slug });
    }
    return out;
  }

  /** The lesson by slug or by number (1-based), or null. */
  async get(key: string): Promise<Lesson | null> {
    const slugs = await this.slugs();
    const slug = /^\d+$/.test(key) ? slugs[Number(key) - 1] : slugs.find((s) => s === key);
    if (!slug) return null;
    const folder = path.join(this.dir, slug);
    const read = (f: string) =>
      readFile(path.join(folder, f), 'utf8').catch(() => {
        throw new Error(`lesson ${slug} has no ${f}`);
      });
    const optional = (f: string) => read(f).catch(() => null);
    const goFiles = async (dir: string) => {
      const out: Record<string, string> = {};
      for (const f of (await readdir(dir)).filter((n) => n.endsWith('.go')).sort()) out[f] = await readFile(path.join(dir, f), 'utf8');
      return out;
    };
    const text = await read('README.md');
    const services = await optional('services.json');
    const gateway = await optional('gateway.json');
    const solutionConfig = await optional('solution/config.yaml');
    return Lesson.parse({
      slug,
      title: /^#\s+(.+)$/m.exec(text)?.[1].trim() ?? slug,
      text,
      files: await goFiles(folder),
      config: (await optional('config.yaml')) ?? '',
      requests: z.array(SavedRequest).parse(JSON.parse(await read('requests.json'))),
      expectations: z.array(Expectation).parse(JSON.parse(await read('check.json'))),
      solution: await goFiles(path.join(folder, 'solution')),
      ...(solutionConfig !== null ? { solutionConfig } : {}),
      ...(services ? { services: ServiceList.parse(JSON.parse(services)) } : {}),
      ...(gateway ? { gateway: GatewaySettings.parse(JSON.parse(gateway)) } : {}),
    });
  }
}
