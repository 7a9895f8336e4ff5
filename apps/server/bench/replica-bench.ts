// Replicas behind nginx: /api/run (a cached build) through nginx with two replicas beside one
// replica straight, and an exchange forwarded to the replica that owns the session beside one sent
// to the owner directly, in the same run. Needs PostgreSQL (PLAYGROUND_TEST_DATABASE_URL, which
// scripts/start-postgres.sh prints) and nginx (pnpm run setup --for-tests); prints why not otherwise.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { examplesDir } from '../src/toolchain/paths.js';
import { NGINX, startNginx, startReplica, stopReplica } from '../test/support/replicas.js';
import { median, ms } from './support.js';

const RUNS = 30;
const EXCHANGES = 200;

export async function runReplicaBench(): Promise<void> {
  const databaseUrl = process.env.PLAYGROUND_TEST_DATABASE_URL;
  if (!databaseUrl || !existsSync(NGINX)) {
    console.log(`\nReplicas: skipped (${!databaseUrl ? 'set PLAYGROUND_TEST_DATABASE_URL' : 'no nginx'})\n`);
    return;
  }
  const [a, b] = await Promise.all([startReplica(databaseUrl), startReplica(databaseUrl)]);
  const nginx = await startNginx([a.url, b.url]);
  const db = new pg.Pool({ connectionString: databaseUrl });
  try {
    const files = { 'main.go': readFileSync(path.join(examplesDir, 'hello-world', 'main.go'), 'utf8') };
    const request = { method: 'GET', path: '/get', headers: [], body: '' };
    const post = async (base: string, route: string, body: unknown) => {
      const t0 = performance.now();
      const res = await fetch(base + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = (await res.json()) as { session?: { sessionId: string } };
      return { ms: performance.now() - t0, json };
    };
    const runs = async (base: string) => {
      const times: number[] = [];
      for (let i = 0; i < RUNS + 3; i++) {
        const r = await post(base, '/api/run', { files, config: 'mockEnable: false', request });
        if (r.json.session) await fetch(`${base}/api/sessions/${r.json.session.sessionId}`, { method: 'DELETE' });
        if (i >= 3) times.push(r.ms);
      }
      return median(times);
    };
    const straight = await runs(a.url);
    const balanced = await runs(nginx.url);

    // A session on b; exchanges to b (local) and to a (forwarded to b).
    const built = await post(b.url, '/api/build', { files });
    const s = (await post(b.url, '/api/sessions', { buildId: (built.json as { buildId: string }).buildId, config: 'mockEnable: false' })).json as { sessionId: string };
    const owner = (await db.query<{ replica: string }>('SELECT replica FROM playground_live_sessions WHERE id = $1', [s.sessionId])).rows[0]?.replica;
    if (owner !== b.url) throw new Error('the session is not on the replica that created it');
    const exchanges = async (base: string) => {
      const times: number[] = [];
      for (let i = 0; i < EXCHANGES + 20; i++) {
        const r = await post(base, `/api/sessions/${s.sessionId}/exchanges`, request);
        if (i >= 20) times.push(r.ms);
      }
      return median(times);
    };
    const local = await exchanges(b.url);
    const forwarded = await exchanges(a.url);

    console.log(`\nReplicas: hello-world, medians (${RUNS} Runs of a cached build, ${EXCHANGES} exchanges), same run\n`);
    console.log(`POST /api/run, one replica straight        ${ms(straight)}`);
    console.log(`POST /api/run, nginx + two replicas        ${ms(balanced)}   (${ms(balanced - straight)} more)`);
    console.log(`exchange on the owning replica             ${ms(local)}`);
    console.log(`exchange forwarded from the other replica  ${ms(forwarded)}   (${ms(forwarded - local)} more)\n`);
  } finally {
    await db.end();
    nginx.stop();
    stopReplica(a);
    stopReplica(b);
  }
}
