// Settings (src/settings.ts): one table of every environment variable the server reads, the
// README's settings table kept in step with it, and clear errors for wrong values.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSettings, numberSetting, SETTINGS } from '../src/settings.js';
import { repoRoot } from '../src/toolchain/paths.js';

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });

afterEach(() => {
  delete process.env.PLAYGROUND_SESSIONS_TOTAL;
  delete process.env.PLAYGROUND_LOG;
});

describe('settings', () => {
  it('are read in one place: no other server source reads process.env by name', () => {
    const offenders = sources(path.join(repoRoot, 'apps/server/src'))
      .filter((f) => !f.endsWith('settings.ts'))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/process\.env(?:\.([A-Z_]+)|\[)/g)].map((m) => `${path.relative(repoRoot, f)}: ${m[0]}`))
      // vitest's own marker, checked by the logger to stay quiet under tests.
      .filter((hit) => !hit.endsWith('process.env.VITEST'));
    expect(offenders).toEqual([]);
  });

  it("are all in the README's table, and the table has no others", () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual(Object.keys(SETTINGS).sort());
  });

  it('a wrong value is named, and defaults apply when unset', () => {
    expect(numberSetting('PLAYGROUND_SESSIONS_TOTAL')).toBe(64);
    process.env.PLAYGROUND_SESSIONS_TOTAL = 'lots';
    process.env.PLAYGROUND_LOG = 'yes';
    expect(() => numberSetting('PLAYGROUND_SESSIONS_TOTAL')).toThrow('PLAYGROUND_SESSIONS_TOTAL=lots is not a number >= 0');
    expect(checkSettings()).toEqual(['PLAYGROUND_LOG=yes must be 1 or 0', 'PLAYGROUND_SESSIONS_TOTAL=lots is not a number >= 0']);
  });
});
