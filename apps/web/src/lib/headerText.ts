// Headers as the text of a textarea, one `name: value` a line, and back.
import type { HeaderList } from '../api/types';

export const headersToText = (h: HeaderList | undefined) => (h ?? []).map(([n, v]) => `${n}: ${v}`).join('\n');

/** Lines without a colon are not headers (yet) and are left out. */
export const textToHeaders = (text: string): HeaderList =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes(':'))
    .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]);
