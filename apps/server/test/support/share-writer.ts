// Child process for the crash test: writes shares to a SQLite file as fast as it can until killed.
import { SqliteShareStore } from '../../src/share/sqlite-store.js';
import { canonicalScenario, shareId } from '../../src/share/canonical.js';

const store = new SqliteShareStore(process.argv[2]);
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const canonical = canonicalScenario({ files: { 'main.go': `package main // ${i} ${'x'.repeat(20_000)}` }, config: `n: ${i}`, requests: [] });
  await store.put(shareId(canonical), canonical);
}
