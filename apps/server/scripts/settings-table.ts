// Prints the README's settings table from src/settings.ts: `pnpm --filter @playground/server settings-table`.
import { SETTINGS } from '../src/settings.js';

const GROUPS = { server: 'Server', builds: 'Builds', sessions: 'Sessions', shares: 'Shares', docker: 'Docker runtime' } as const;

function shown(name: string, v: number | string | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number' && /BYTES$/.test(name) && v >= 1024) return v % 1048576 === 0 ? `${v / 1048576} MiB` : `${v / 1024} KiB`;
  if (typeof v === 'number' && /_MS$/.test(name) && v >= 1000) return v >= 60_000 && v % 60_000 === 0 ? `${v / 60_000} min` : `${v / 1000} s`;
  return `\`${v}\``;
}

const rows = ['| setting | default | what it does |', '| --- | --- | --- |'];
for (const [group, title] of Object.entries(GROUPS)) {
  rows.push(`| **${title}** | | |`);
  for (const [name, s] of Object.entries(SETTINGS)) if (s.group === group) rows.push(`| \`${name}\` | ${shown(name, s.default)} | ${s.doc} |`);
}
console.log(rows.join('\n'));
