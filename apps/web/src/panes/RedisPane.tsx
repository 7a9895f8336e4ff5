// Redis: the keys in the live session's Redis services (each session has its
// own, empty at start), per database: key, type, time to live and value.
import type { RedisKeysView } from '../api/types';
import { useStore } from '../state/store';
import { useRedisKeys } from './useRedisKeys';

const ttl = (ms: number | null) => (ms === null ? 'no expiry' : `${Math.ceil(ms / 1000)} s`);

function ServiceKeys({ service }: { service: RedisKeysView['services'][number] }) {
  const keys = service.databases.reduce((n, db) => n + db.size, 0);
  return (
    <section className="redis-service" aria-label={`Redis service ${service.name}`}>
      <h4>
        {service.name} <span className="muted small">{keys === 1 ? '1 key' : `${keys} keys`}</span>
      </h4>
      {service.error && <p className="error-text">Could not read its keys: {service.error}</p>}
      {!service.error && keys === 0 && <p className="muted">No keys.</p>}
      {service.databases.map((db) => (
        <div key={db.db}>
          <div className="muted small">
            db {db.db}
            {db.truncated && ` · the first ${db.keys.length} of ${db.size} keys`}
          </div>
          <table className="kv redis-keys" aria-label={`Keys of ${service.name} db ${db.db}`}>
            <thead>
              <tr>
                <th scope="col">key</th>
                <th scope="col">type</th>
                <th scope="col">TTL</th>
                <th scope="col">value</th>
              </tr>
            </thead>
            <tbody>
              {db.keys.map((k) => (
                <tr key={k.key} data-key={k.key}>
                  <th scope="row">{k.key}</th>
                  <td>{k.type}</td>
                  <td>{ttl(k.ttlMs)}</td>
                  <td>{k.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

export function RedisPane() {
  const sessionId = useStore((s) => s.session?.sessionId);
  const { view, error, loading, refresh, clear } = useRedisKeys(sessionId);
  if (!sessionId) return <p className="muted pad">No plugin session yet. Run starts one, with its own empty Redis for each Redis service; its keys show here.</p>;
  return (
    <div className="pane-scroll" data-testid="redis-pane">
      <div className="redis-actions">
        <button className="small" onClick={refresh} disabled={loading}>
          Refresh
        </button>
        <button className="small" onClick={() => void clear()} title="Delete every key in the session's Redis services">
          Clear keys
        </button>
        {loading && <span className="muted small">Reading the keys…</span>}
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {view && view.services.length === 0 && <p className="muted">This session has no Redis service. Run to start one with the services declared now.</p>}
      {view?.services.map((s) => (
        <ServiceKeys key={s.name} service={s} />
      ))}
    </div>
  );
}
