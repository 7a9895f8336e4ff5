import { RunStreamEvent } from '@playground/shared';
import { describe, expect, it } from 'vitest';
import { LineSplitter, parseEventLine, readNdjson } from './ndjson';

/** A body that arrives in exactly these pieces. */
function body(pieces: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const p of pieces) controller.enqueue(typeof p === 'string' ? new TextEncoder().encode(p) : p);
      controller.close();
    },
  });
}

describe('LineSplitter', () => {
  it('keeps a line cut by a chunk boundary until its end arrives', () => {
    const lines = new LineSplitter();
    expect(lines.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(lines.push(':2')).toEqual([]);
    expect(lines.push('}\n\n{"c":3}')).toEqual(['{"b":2}', '']);
    expect(lines.end()).toEqual(['{"c":3}']);
    expect(lines.end()).toEqual([]);
  });
});

describe('parseEventLine', () => {
  it('passes events of the schema as parsed, and drops blank, broken and unknown lines', () => {
    const line = '{"type":"end","atMs":5}';
    expect(parseEventLine(line, RunStreamEvent)).toEqual({ type: 'end', atMs: 5 });
    expect(parseEventLine('  ', RunStreamEvent)).toBeNull();
    expect(parseEventLine('<html>502</html>', RunStreamEvent)).toBeNull();
    expect(parseEventLine('{"type":"progress","pct":5}', RunStreamEvent)).toBeNull();
  });
});

describe('readNdjson', () => {
  it('hands over each event as soon as its line is complete, across chunk boundaries and split characters', async () => {
    const data = JSON.stringify({ type: 'data', body: 'héllo', bytes: 6, atMs: 2 });
    const bytes = new TextEncoder().encode(`${data}\n`);
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of é
    const seen: string[] = [];
    await readNdjson<RunStreamEvent>(
      body(['{"type":"headers","status":200,"hea', 'ders":[],"atMs":1}\n', bytes.slice(0, cut), bytes.slice(cut), '{"type":"end","atMs":3}']),
      RunStreamEvent,
      (e) => seen.push(e.type === 'data' ? `data ${String(e.body)}` : e.type),
    );
    expect(seen).toEqual(['headers', 'data héllo', 'end']);
  });
});
