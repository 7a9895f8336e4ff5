/**
 * The import paths of a Go source file, read without a Go parser: comments are stripped, then
 * `import "x"`, `import name "x"` and `import ( ... )` blocks are read. Good enough to tell when the
 * set of imports changed, which is all the dependency cache needs.
 */
export function goImports(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  const out = new Set<string>();
  for (const m of text.matchAll(/\bimport\s*\(([^)]*)\)/g)) {
    for (const q of m[1].matchAll(/"([^"]+)"|`([^`]+)`/g)) out.add(q[1] ?? q[2]);
  }
  for (const m of text.matchAll(/\bimport\s+(?:[A-Za-z_.][\w]*\s+)?(?:"([^"]+)"|`([^`]+)`)/g)) out.add(m[1] ?? m[2]);
  return [...out].sort();
}
