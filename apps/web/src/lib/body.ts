// Turning message bodies into something to show.
import type { Body, HeaderList } from '../api/types';

/** The body as text; a binary body is shown as a short base64 note. */
export function bodyText(body: Body | undefined | null): string {
  if (body == null) return '';
  if (typeof body === 'string') return body;
  return `[binary body, base64] ${body.base64}`;
}

export function headerValue(headers: HeaderList | undefined, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers?.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** Pretty-prints JSON bodies (by content type or by shape); other text is returned as is. */
export function prettyBody(body: Body | undefined | null, headers?: HeaderList): { text: string; json: boolean } {
  const text = bodyText(body);
  const type = headerValue(headers, 'content-type') ?? '';
  const looksJson = /json/i.test(type) || /^\s*[[{]/.test(text);
  if (looksJson && text.trim()) {
    try {
      return { text: JSON.stringify(JSON.parse(text), null, 2), json: true };
    } catch {
      /* not JSON after all */
    }
  }
  return { text, json: false };
}
