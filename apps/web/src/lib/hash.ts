// A stable fingerprint of the sources, config and runtime: when it has not
// changed since the last run, the live session is reused and nothing is rebuilt.

/** FNV-1a 64-bit over a canonical JSON form; enough to detect edits. */
export function sourcesHash(files: Record<string, string>, config: string, runtime: string): string {
  const names = Object.keys(files).sort();
  const canonical = JSON.stringify([names.map((n) => [n, files[n]]), config, runtime]);
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (let i = 0; i < canonical.length; i++) {
    h ^= BigInt(canonical.charCodeAt(i));
    h = (h * prime) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
