// What several replicas behind a load balancer share, in the PostgreSQL database they already use
// for shares (DATABASE_URL): which replica runs each live session (so any replica can forward a
// request for it to its owner), which replicas are alive (a heartbeat), and the built modules (so a
// session can start on another replica than the one that built it). One server alone needs none
// of it: the local registry knows only itself.
import pg from 'pg';
import { log } from '../util/log.js';

export interface BuiltModule {
  meta: unknown;
  wasm: Uint8Array;
}

export interface ReplicaRegistry {
  /** Records that this replica runs `sessionId` (owned by `client`). */
  claim(sessionId: string): Promise<void>;
  release(sessionId: string): Promise<void>;
  /** The URL of the live replica running `sessionId`, or null (unknown, or its replica is gone). */
  owner(sessionId: string): Promise<string | null>;
  /** This replica's own URL, as the others reach it. */
  readonly self: string | undefined;
  putBuild(buildId: string, module: BuiltModule): Promise<void>;
  getBuild(buildId: string): Promise<BuiltModule | null>;
  close(): Promise<void>;
}

/** A single server: every session is its own, builds stay on its disk. */
export class LocalRegistry implements ReplicaRegistry {
  readonly self = undefined;
  async claim(): Promise<void> {}
  async release(): Promise<void> {}
  async owner(): Promise<string | null> {
    return null;
  }
  async putBuild(): Promise<void> {}
  async getBuild(): Promise<BuiltModule | null> {
    return null;
  }
  async close(): Promise<void> {}
}

const HEARTBEAT_MS = 3000;
/** A replica that has not beaten for this long is gone: its sessions answer "ended". */
const DEAD_AFTER_S = 10;
/** Built modules kept in the database (newest first). */
const KEEP_BUILDS = 200;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS playground_replicas (url TEXT PRIMARY KEY, heartbeat TIMESTAMPTZ NOT NULL);
  CREATE TABLE IF NOT EXISTS playground_live_sessions (id TEXT PRIMARY KEY, replica TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
  CREATE TABLE IF NOT EXISTS playground_builds (id TEXT PRIMARY KEY, meta JSONB NOT NULL, wasm BYTEA NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
`;

export class PostgresRegistry implements ReplicaRegistry {
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly pool: pg.Pool,
    readonly self: string,
  ) {}

  static async open(url: string, self: string): Promise<PostgresRegistry> {
    const pool = new pg.Pool({ connectionString: url, max: 5, connectionTimeoutMillis: 5000 });
    pool.on('error', (err) => log.warn('replicas.postgres-error', { message: err.message }));
    const client = await pool.connect();
    try {
      // One replica at a time creates the tables (the advisory lock the share store uses too).
      await client.query('SELECT pg_advisory_lock(7212002)');
      await client.query(SCHEMA);
    } finally {
      await client.query('SELECT pg_advisory_unlock(7212002)').catch(() => {});
      client.release();
    }
    const registry = new PostgresRegistry(pool, self);
    // Sessions a previous run of this replica left behind are gone with it.
    await pool.query('DELETE FROM playground_live_sessions WHERE replica = $1', [self]);
    await registry.beat();
    registry.timer = setInterval(() => void registry.beat(), HEARTBEAT_MS);
    registry.timer.unref();
    log.info('replicas.joined', { self });
    return registry;
  }

  private async beat(): Promise<void> {
    await this.pool
      .query('INSERT INTO playground_replicas (url, heartbeat) VALUES ($1, now()) ON CONFLICT (url) DO UPDATE SET heartbeat = now()', [this.self])
      .catch((e: Error) => log.warn('replicas.heartbeat-failed', { message: e.message }));
  }

  async claim(sessionId: string): Promise<void> {
    await this.pool.query('INSERT INTO playground_live_sessions (id, replica) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET replica = $2', [sessionId, this.self]);
  }

  async release(sessionId: string): Promise<void> {
    await this.pool.query('DELETE FROM playground_live_sessions WHERE id = $1 AND replica = $2', [sessionId, this.self]);
  }

  async owner(sessionId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ replica: string; alive: boolean }>(
      `SELECT s.replica, coalesce(r.heartbeat > now() - make_interval(secs => $2), false) AS alive
         FROM playground_live_sessions s LEFT JOIN playground_replicas r ON r.url = s.replica WHERE s.id = $1`,
      [sessionId, DEAD_AFTER_S],
    );
    if (!rows.length) return null;
    if (!rows[0].alive) {
      // Its replica is gone, and the session with it.
      await this.pool.query('DELETE FROM playground_live_sessions WHERE id = $1', [sessionId]);
      return null;
    }
    return rows[0].replica;
  }

  async putBuild(buildId: string, module: BuiltModule): Promise<void> {
    await this.pool.query('INSERT INTO playground_builds (id, meta, wasm) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [buildId, JSON.stringify(module.meta), Buffer.from(module.wasm)]);
    await this.pool.query(`DELETE FROM playground_builds WHERE id NOT IN (SELECT id FROM playground_builds ORDER BY created_at DESC LIMIT ${KEEP_BUILDS})`);
  }

  async getBuild(buildId: string): Promise<BuiltModule | null> {
    const { rows } = await this.pool.query<{ meta: unknown; wasm: Buffer }>('SELECT meta, wasm FROM playground_builds WHERE id = $1', [buildId]);
    return rows.length ? { meta: rows[0].meta, wasm: new Uint8Array(rows[0].wasm) } : null;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.pool.query('DELETE FROM playground_live_sessions WHERE replica = $1', [this.self]).catch(() => {});
    await this.pool.query('DELETE FROM playground_replicas WHERE url = $1', [this.self]).catch(() => {});
    await this.pool.end();
  }
}
