// NDJSON answers (`?stream=1` on /api/run and on a session's exchanges): one
// JSON event a line, read as the bytes arrive. A network chunk can end in the
// middle of a line (or of a UTF-8 character); that part waits for the rest.

/** A shared zod schema, as far as checking an event needs it. */
export interface EventSchema {
  safeParse(value: unknown): { success: boolean };
}

/** Splits text that arrives in pieces into whole lines; an unfinished line waits for its end. */
export class LineSplitter {
  private rest = '';

  push(text: string): string[] {
    const lines = (this.rest + text).split('\n');
    this.rest = lines.pop() ?? '';
    return lines;
  }

  /** What is left when the stream ends: a last line without its newline. */
  end(): string[] {
    const last = this.rest;
    this.rest = '';
    return last ? [last] : [];
  }
}

/**
 * The event a line holds, or null for a blank line, a line that is not JSON, or an event `schema`
 * does not know (a newer server's). The parsed value itself is passed on, not zod's copy: an
 * exchange is matched against the session stream's by its JSON, which a copy would change.
 */
export function parseEventLine<E>(line: string, schema: EventSchema): E | null {
  if (!line.trim()) return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  return schema.safeParse(value).success ? (value as E) : null;
}

/** Reads an NDJSON body to its end, handing each event to `onEvent` as soon as its line is complete. */
export async function readNdjson<E>(body: ReadableStream<Uint8Array>, schema: EventSchema, onEvent: (e: E) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const lines = new LineSplitter();
  const emit = (list: string[]) => {
    for (const line of list) {
      const event = parseEventLine<E>(line, schema);
      if (event) onEvent(event);
    }
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    emit(lines.push(decoder.decode(value, { stream: true })));
  }
  emit(lines.push(decoder.decode()));
  emit(lines.end());
}
