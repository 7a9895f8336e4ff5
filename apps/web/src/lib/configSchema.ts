// config.yaml checked against the plugin's code: the JSON Schema from
// /api/analyze (keys the plugin reads, their types and where) drives key
// completion, hover docs and warnings for unknown keys and wrong types.
// Pure functions over the YAML text (block style, as the console writes it).
import yaml from 'js-yaml';

export interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: boolean;
}

export type PathSeg = string | number;

export interface KeyLine {
  path: PathSeg[];
  key: string;
  /** 1-based */
  line: number;
  /** 1-based column of the key */
  column: number;
}

const KEY = /^(["']?)([^"'#:\s][^"'#:]*?)\1\s*:(?=\s|$)/;

/**
 * The mapping keys of a block-style YAML document with their paths
 * (`_rules_[0].mockEnable` is `['_rules_', 0, 'mockEnable']`). Flow
 * collections (`[a, b]`, `{a: 1}`) are values and not descended into.
 */
export function yamlKeyLines(text: string): KeyLine[] {
  type Entry = { indent: number; path: PathSeg[]; kind: 'key' | 'item'; items: number };
  const stack: Entry[] = [];
  const out: KeyLine[] = [];
  const lines = text.split('\n');
  let block: number | null = null; // indent of a literal/folded block scalar's key
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const indent = /^ */.exec(line)![0].length;
    const content = line.slice(indent);
    if (block !== null) {
      if (content === '' || indent > block) return;
      block = null;
    }
    if (content === '' || content.startsWith('#') || content === '---' || content === '...') return;
    let col = indent;
    let rest = content;
    const isItem = /^-(\s|$)/.test(rest);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.indent > indent || (top.indent === indent && (!isItem || top.kind === 'item'))) stack.pop();
      else break;
    }
    let parent: Entry | undefined = stack[stack.length - 1];
    let path: PathSeg[] = parent?.path ?? [];
    while (/^-(\s|$)/.test(rest)) {
      const idx = parent ? parent.items++ : 0;
      const item: Entry = { indent: col, path: [...path, idx], kind: 'item', items: 0 };
      stack.push(item);
      parent = item;
      path = item.path;
      const after = rest.slice(1);
      const pad = /^ */.exec(after)![0].length;
      col += 1 + pad;
      rest = after.slice(pad);
    }
    const m = KEY.exec(rest);
    if (!m) return;
    const key = m[2].trim();
    out.push({ path: [...path, key], key, line: i + 1, column: col + 1 });
    stack.push({ indent: col, path: [...path, key], kind: 'key', items: 0 });
    const value = rest.slice(m[0].length).trim();
    if (/^[|>][-+0-9]*(\s+#.*)?$/.test(value)) block = col;
  });
  return out;
}

export function schemaAt(schema: JsonSchema | null | undefined, path: PathSeg[]): JsonSchema | null {
  let node: JsonSchema | undefined | null = schema;
  for (const seg of path) {
    if (!node) return null;
    node = typeof seg === 'number' ? node.items : node.properties?.[seg];
  }
  return node ?? null;
}

function valueAt(doc: unknown, path: PathSeg[]): unknown {
  let v: unknown = doc;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg as string];
  }
  return v;
}

function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v; // boolean, string, object
}

function typeFits(expected: string, v: unknown): boolean {
  const t = jsonType(v);
  if (t === 'null') return true; // an empty value: the plugin reads its zero value
  if (expected === 'number') return t === 'number' || t === 'integer';
  return expected === t;
}

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
const showPath = (path: PathSeg[]) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');

export interface SchemaProblem {
  message: string;
  line: number;
  column: number;
  endColumn: number;
}

/** Unknown keys and wrong types, as warnings on the key; none when the YAML does not parse. */
export function schemaProblems(text: string, schema: JsonSchema | null | undefined): SchemaProblem[] {
  if (!schema) return [];
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch {
    return [];
  }
  const out: SchemaProblem[] = [];
  const stopped: string[] = [];
  for (const k of yamlKeyLines(text)) {
    const here = JSON.stringify(k.path);
    if (stopped.some((p) => here.startsWith(p.slice(0, -1)))) continue;
    const parentPath = k.path.slice(0, -1);
    const parent = schemaAt(schema, parentPath);
    if (!parent) continue;
    const node = parent.properties?.[k.key];
    const at = { line: k.line, column: k.column, endColumn: k.column + k.key.length };
    if (!node) {
      if (parent.additionalProperties === false && (parent.type === 'object' || parent.properties)) {
        const known = Object.keys(parent.properties ?? {});
        out.push({
          ...at,
          message:
            `"${k.key}" is not a key the plugin reads${parentPath.length ? ` under ${showPath(parentPath)}` : ''}, so it has no effect.` +
            (known.length ? ` Keys it reads: ${known.join(', ')}.` : ' The plugin reads no config keys.'),
        });
      }
      stopped.push(here);
      continue;
    }
    if (node.type) {
      const v = valueAt(doc, k.path);
      if (!typeFits(node.type, v)) {
        out.push({
          ...at,
          message: `"${showPath(k.path)}" should be ${article(node.type)}${node.description ? ` (${node.description})` : ''}, but it is ${article(jsonType(v))}.`,
        });
      }
    }
  }
  return out;
}

export interface KeySuggestion {
  key: string;
  type?: string;
  description?: string;
  insertText: string;
}

/**
 * Keys the schema allows where the cursor is (the mapping that the line at
 * `line` (1-based) belongs to, from its indentation), minus the keys already
 * there.
 */
export function keySuggestions(text: string, line: number, column: number, schema: JsonSchema | null | undefined): KeySuggestion[] {
  if (!schema) return [];
  const lines = text.split('\n');
  const current = lines[line - 1] ?? '';
  const before = current.slice(0, column - 1);
  const lead = /^(\s*(?:-\s+)*)/.exec(before)![1];
  if (!/^\s*(?:-\s+)*[\w"'-]*$/.test(before)) return []; // typing a value, not a key
  const probe = [...lines.slice(0, line - 1), `${lead}__cursor__: x`, ...lines.slice(line)].join('\n');
  const entry = yamlKeyLines(probe).find((k) => k.line === line);
  if (!entry) return [];
  const parentPath = entry.path.slice(0, -1);
  const parent = schemaAt(schema, parentPath);
  if (!parent?.properties) return [];
  const siblings = new Set(
    yamlKeyLines(probe)
      .filter((k) => JSON.stringify(k.path.slice(0, -1)) === JSON.stringify(parentPath))
      .map((k) => k.key),
  );
  const indent = ' '.repeat(lead.length + 2);
  return Object.entries(parent.properties)
    .filter(([k]) => !siblings.has(k))
    .map(([key, node]) => ({
      key,
      type: node.type,
      description: node.description,
      insertText:
        node.type === 'object' ? `${key}:\n${indent}` : node.type === 'array' ? (node.items?.type === 'object' ? `${key}:\n${indent}- ` : `${key}: []`) : `${key}: `,
    }));
}

/** The documentation of the key at a position, for hovers. */
export function keyDocAt(text: string, line: number, column: number, schema: JsonSchema | null | undefined): { key: string; doc: string } | null {
  const k = yamlKeyLines(text).find((e) => e.line === line && column >= e.column && column <= e.column + e.key.length);
  if (!k) return null;
  const node = schemaAt(schema, k.path);
  if (!node) return null;
  const parts = [node.type && `type: ${node.type}`, node.description].filter(Boolean);
  return { key: showPath(k.path), doc: parts.join(' — ') };
}
