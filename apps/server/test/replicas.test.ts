// Two replicas behind a real load balancer (Debian's nginx, round robin, no affinity) with
// PostgreSQL (PLAYGROUND_TEST_DATABASE_URL, as the share-store tests): whichever replica a request
// lands on, shares open, builds start sessions, a session's API, events and /gw gateway answer, and
// a replica that dies takes only its own sessions, which answer "ended".
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example } from './support/plugins.js';
import { NGINX, startNginx, startReplica, stopReplica, type Replica } from './support/replicas.js';

const run = promisify(execFile);
const databaseUrl = process.env.PLAYGROUND_TEST_DATABASE_URL;
const why = !databaseUrl ? 'set PLAYGROUND_TEST_DATABASE_URL (scripts/start-postgres.sh prints one)' : !existsSync(NGINX) ? `no nginx at ${NGINX} (pnpm run setup --for-tests installs it)` : '';
if (why) console.warn(`[replicas.test] SKIPPED: ${why}`);

let replicas: Replica[] = [];
let lb = '';
let stopNginx = () => {};
let db: pg.Pool;

beforeAll(async () => {
  if (why) return;
  replicas = await Promise.all([startReplica(databaseUrl!), startReplica(databaseUrl!)]);
  const nginx = await startNginx(replicas.map((r) => r.url));
  lb = nginx.url;
  stopNginx = nginx.stop;
  db = new pg.Pool({ connectionString: databaseUrl });
});

afterAll(async () => {
  replicas.forEach(stopReplica);
  stopNginx();
  await db?.end();
});

const post = async (path: string, body: unknown) => {
  const res = await fetch(lb + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
};
const ownerOf = async (id: string) => (await db.query<{ replica: string }>('SELECT replica FROM playground_live_sessions WHERE id = $1', [id])).rows[0]?.replica;

describe.skipIf(!!why)('two replicas behind nginx', () => {
  it('a share made through one replica opens through the other', async () => {
    const { files } = await example('hello-world');
    const { json } = await post('/api/share', { files, config: `# ${Date.now()}`, requests: [] });
    // Round robin: consecutive reads land on both replicas.
    for (let i = 0; i < 4; i++) expect((await fetch(`${lb}/api/share/${json.id}`)).status).toBe(200);
  });

  it('a build, a session, twenty exchanges, its events and curl through /gw work whichever replica nginx picks', async () => {
    const { files } = await example('hello-world');
    const built = await post('/api/build', { files: { 'main.go': `${files['main.go']}\n// ${Date.now()}\n` } });
    expect(built.json.ok).toBe(true);
    // Sessions from that build start on both replicas: the other one fetches the module from the database.
    const sessions = [];
    for (let i = 0; i < 4; i++) sessions.push((await post('/api/sessions', { buildId: built.json.buildId, config: 'mockEnable: false' })).json);
    const owners = new Set(await Promise.all(sessions.map((s) => ownerOf(s.sessionId))));
    expect(owners.size).toBe(2);
    const s = sessions[0];
    const events: string[] = [];
    const sse = await fetch(`${lb}/api/sessions/${s.sessionId}/events`);
    const reader = sse.body!.getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        events.push(new TextDecoder().decode(value));
      }
    })();
    for (let i = 0; i < 20; i++) {
      const ex = await post(`/api/sessions/${s.sessionId}/exchanges`, { method: 'GET', path: `/get?n=${i}`, headers: [], body: '' });
      expect(ex.status, JSON.stringify(ex.json)).toBe(200);
      expect(JSON.parse(ex.json.response.body).headers.Hello).toEqual(['world']);
    }
    const { stdout } = await run('curl', ['-s', `${lb}${s.gatewayPath}/get?via=curl`]);
    expect(JSON.parse(stdout).headers.Hello).toEqual(['world']);
    for (let i = 0; i < 50 && !events.join('').includes('via=curl'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(events.join('')).toContain('via=curl');
    expect(events.join('')).toContain('n=19');
    await reader.cancel();
    for (const x of sessions) expect((await fetch(`${lb}/api/sessions/${x.sessionId}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('a build module and a Go intelligence workspace answer whichever replica nginx picks', async () => {
    const { files } = await example('hello-world');
    const built = await post('/api/build', { files: { 'main.go': `${files['main.go']}\n// wasm ${Date.now()}\n` } });
    // Round robin: one of these lands on the replica that did not build, which fetches the module from the database.
    for (let i = 0; i < 4; i++) {
      const wasm = await fetch(`${lb}/api/builds/${built.json.buildId}/main.wasm`);
      expect(wasm.status).toBe(200);
      expect(Buffer.from(await wasm.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('\0asm');
      expect((await fetch(`${lb}/api/builds/${built.json.buildId}`)).status).toBe(200);
    }
    const health = await (await fetch(`${lb}/api/health`)).json();
    if (!health.intelligence?.available) return void console.warn('[replicas.test] gopls part skipped: intelligence unavailable');
    const opened = await post('/api/lsp', { files });
    expect(opened.json.workspaceId, JSON.stringify(opened.json)).toBeTruthy();
    for (let i = 0; i < 4; i++) expect((await fetch(`${lb}/api/lsp/${opened.json.workspaceId}`)).status).toBe(200);
    expect((await fetch(`${lb}/api/lsp/${opened.json.workspaceId}`, { method: 'DELETE' })).status).toBe(204);
  });

  it("a replica that dies takes only its own sessions, which answer that they ended; the other's keep working", async () => {
    const { files } = await example('hello-world');
    const built = await post('/api/build', { files });
    const sessions = [];
    for (let i = 0; i < 4; i++) sessions.push((await post('/api/sessions', { buildId: built.json.buildId, config: 'mockEnable: false' })).json);
    const victim = replicas[0];
    const owned = await Promise.all(sessions.map(async (s) => ({ s, owner: await ownerOf(s.sessionId) })));
    victim.child.kill('SIGKILL');
    await new Promise((r) => victim.child.once('exit', r));
    for (const { s, owner } of owned) {
      const ex = await post(`/api/sessions/${s.sessionId}/exchanges`, { method: 'GET', path: '/get', headers: [], body: '' });
      if (owner === victim.url) {
        expect(ex.status).toBe(404);
        expect(ex.json.error).toMatch(/run again/);
      } else {
        expect(ex.status).toBe(200);
      }
    }
  });
});
