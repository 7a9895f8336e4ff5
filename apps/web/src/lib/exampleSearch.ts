// The examples gallery's search: by SDK method name (an example README's
// `Uses:` line), or by words of its title and description. Every word of the
// query must match (case-insensitive, part of a name is enough); examples that
// use a method of exactly that name come first.
import type { ExampleSummary } from '../api/types';

export interface ExampleMatch {
  example: ExampleSummary;
  /** The example's methods that a word of the query named (to highlight them). */
  methods: string[];
}

/** The words of a query: split at spaces and commas. */
export const queryWords = (query: string) => query.toLowerCase().split(/[\s,]+/).filter(Boolean);

/** `log.Infof` is found as `Infof` too: the name after the last dot counts as the whole name. */
const exactly = (method: string, word: string) => {
  const m = method.toLowerCase();
  return m === word || m.slice(m.lastIndexOf('.') + 1) === word;
};

export function searchExamples(list: ExampleSummary[], query: string): ExampleMatch[] {
  const words = queryWords(query);
  if (!words.length) return list.map((example) => ({ example, methods: [] }));
  const ranked: { match: ExampleMatch; rank: number; index: number }[] = [];
  list.forEach((example, index) => {
    const uses = example.uses ?? [];
    const text = `${example.title}\n${example.description}\n${example.name}`.toLowerCase();
    const methods = new Set<string>();
    let rank = 0;
    for (const word of words) {
      const named = uses.filter((m) => m.toLowerCase().includes(word));
      if (!named.length && !text.includes(word)) return;
      named.forEach((m) => methods.add(m));
      // 0: a method of that very name; 1: part of a method's name; 2: only the title or description.
      rank = Math.max(rank, named.some((m) => exactly(m, word)) ? 0 : named.length ? 1 : 2);
    }
    ranked.push({ match: { example, methods: uses.filter((m) => methods.has(m)) }, rank, index });
  });
  return ranked.sort((a, b) => a.rank - b.rank || a.index - b.index).map((r) => r.match);
}
