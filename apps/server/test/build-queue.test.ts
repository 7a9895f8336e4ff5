// The build queue (src/compile/queue.ts): slots, clients served in turn, per-client and total caps.
import { describe, expect, it } from 'vitest';
import { BuildQueue, QueueFullError, QueueLeftError } from '../src/compile/queue.js';

/** A job that runs until released, recording the order jobs started in. */
function jobs(order: string[]) {
  const release: (() => void)[] = [];
  const job = (name: string) => () => {
    order.push(name);
    return new Promise<void>((r) => release.push(r));
  };
  const releaseNext = async () => {
    release.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { job, releaseNext };
}

describe('BuildQueue', () => {
  it("serves clients in turn: one client's backlog delays another's first build by at most one build", async () => {
    const q = new BuildQueue(1, 64, 10);
    const order: string[] = [];
    const { job, releaseNext } = jobs(order);
    const all: Promise<unknown>[] = [];
    all.push(q.run(job('a0'), { client: 'a' }));
    for (let i = 1; i <= 6; i++) all.push(q.run(job(`a${i}`), { client: 'a' }));
    let position = 0;
    all.push(q.run(job('b0'), { client: 'b', onQueued: (p) => (position = p) }));
    expect(position).toBe(2);
    for (let i = 0; i < 8; i++) await releaseNext();
    await Promise.all(all);
    expect(order.slice(0, 3)).toEqual(['a0', 'a1', 'b0']);
    expect(order).toHaveLength(8);
  });

  it('caps how many builds one client may have waiting, and all clients together, with a message saying which', async () => {
    const q = new BuildQueue(1, 3, 2);
    const { job } = jobs([]);
    void q.run(job('running'), { client: 'a' });
    void q.run(job('a1'), { client: 'a' });
    void q.run(job('a2'), { client: 'a' });
    await expect(q.run(job('a3'), { client: 'a' })).rejects.toThrow(/you already have 2 builds waiting \(at most 2\)/);
    void q.run(job('b1'), { client: 'b' });
    await expect(q.run(job('c1'), { client: 'c' })).rejects.toThrow(QueueFullError);
    expect(q.stats).toEqual({ running: 1, queued: 3, slots: 1 });
  });

  it('a build whose client went away leaves the queue and never runs', async () => {
    const q = new BuildQueue(1);
    const order: string[] = [];
    const { job, releaseNext } = jobs(order);
    void q.run(job('first'), { client: 'a' });
    const gone = new AbortController();
    const left = q.run(job('left'), { client: 'b', signal: gone.signal });
    const stays = q.run(job('stays'), { client: 'c' });
    gone.abort();
    await expect(left).rejects.toThrow(QueueLeftError);
    await releaseNext();
    await releaseNext();
    await stays;
    expect(order).toEqual(['first', 'stays']);
  });
});
