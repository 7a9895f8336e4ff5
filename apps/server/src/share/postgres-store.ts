import pg from 'pg';
import { log } from '../util/log.js';
import type { ShareStore } from './store.js';

const MIGRATIONS = [
  `CREATE TABLE shares (
     id TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now()
   )`,
];

/**
 * PostgreSQL, for several server instances behind a load balancer (`DATABASE_URL`). Migrations
 * run under an advisory lock so instances starting together do not race.
 */
export class PostgresShareStore implements ShareStore {
  readonly kind = 'postgres' as const;

  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string): Promise<PostgresShareStore> {
    const pool = new pg.Pool({ connectionString: url, max: 5, connectionTimeoutMillis: 5000 });
    // An idle connection that breaks (a database restart) must not take the server down with it.
    pool.on('error', (err) => log.warn('shares.postgres-error', { message: err.message }));
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(7212001)');
      await client.query('CREATE TABLE IF NOT EXISTS playground_schema (version INTEGER NOT NULL)');
      const { rows } = await client.query<{ version: number }>('SELECT version FROM playground_schema');
      let version = rows[0]?.version ?? 0;
      if (!rows.length) await client.query('INSERT INTO playground_schema (version) VALUES (0)');
      for (; version < MIGRATIONS.length; version++) {
        await client.query('BEGIN');
        await client.query(MIGRATIONS[version]);
        await client.query('UPDATE playground_schema SET version = $1', [version + 1]);
        await client.query('COMMIT');
      }
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      await client.query('SELECT pg_advisory_unlock(7212001)').catch(() => {});
      client.release();
    }
    return new PostgresShareStore(pool);
  }

  async put(id: string, canonical: string): Promise<void> {
    await this.pool.query('INSERT INTO shares (id, body) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [id, canonical]);
  }

  async get(id: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ body: string }>('SELECT body FROM shares WHERE id = $1', [id]);
    return rows[0]?.body ?? null;
  }

  async totalBytes(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT coalesce(sum(octet_length(body)), 0) AS n FROM shares');
    return Number(rows[0].n);
  }

  async expire(beforeMs: number): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM shares WHERE created_at < to_timestamp($1 / 1000.0)', [beforeMs]);
    return rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
