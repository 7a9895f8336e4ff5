import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ShareStore } from './store.js';

/** Schema steps, applied in order on open; `PRAGMA user_version` records how far a file is. */
const MIGRATIONS = [
  `CREATE TABLE shares (
     id TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL
   ) WITHOUT ROWID`,
];

/**
 * The default store: one SQLite file in the data folder. WAL journaling and single-statement
 * inserts mean a crash leaves either the whole record or none.
 */
export class SqliteShareStore implements ShareStore {
  readonly kind = 'sqlite' as const;
  private db: Database.Database;
  private insert: Database.Statement;
  private select: Database.Statement;

  constructor(file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.insert = this.db.prepare('INSERT OR IGNORE INTO shares (id, body, created_at) VALUES (?, ?, ?)');
    this.select = this.db.prepare('SELECT body FROM shares WHERE id = ?');
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  async put(id: string, canonical: string): Promise<void> {
    this.insert.run(id, canonical, Date.now());
  }

  async get(id: string): Promise<string | null> {
    const row = this.select.get(id) as { body: string } | undefined;
    return row?.body ?? null;
  }

  async totalBytes(): Promise<number> {
    return (this.db.prepare('SELECT coalesce(sum(length(CAST(body AS BLOB))), 0) AS n FROM shares').get() as { n: number }).n;
  }

  async expire(beforeMs: number): Promise<number> {
    return this.db.prepare('DELETE FROM shares WHERE created_at < ?').run(beforeMs).changes;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
