// src/shared-queue.ts: shared queues per vm_id, as proxy-wasm-cpp-host's shared_queue.cc
// (registerSharedQueue / resolveSharedQueue / enqueue / dequeue): registering a name again keeps
// its id and moves the owner; an enqueue notifies the owner later (Envoy posts proxy_on_queue_ready
// to the owner's dispatcher), never inside the enqueuing call.
import { describe, expect, it } from 'vitest';
import { SharedQueues } from '../src/shared-queue.js';
import { dec, enc } from './support/harness.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('SharedQueues', () => {
  it('register gives a queue id; resolve finds it by vm_id and name; an unknown name is undefined (NotFound)', () => {
    const q = new SharedQueues();
    const id = q.register('vm', 'jobs', () => undefined);
    expect(q.resolve('vm', 'jobs')).toBe(id);
    expect(q.resolve('vm', 'other')).toBeUndefined();
    expect(q.resolve('other-vm', 'jobs')).toBeUndefined();
  });

  it('the same name under two vm_ids is two queues', () => {
    const q = new SharedQueues();
    const a = q.register('vm-a', 'jobs', () => undefined);
    const b = q.register('vm-b', 'jobs', () => undefined);
    expect(a).not.toBe(b);
    q.enqueue(a, enc('for a'));
    expect(q.dequeue(b)).toBeNull();
    expect(dec(q.dequeue(a)!)).toBe('for a');
  });

  it('dequeue is first in, first out; empty is null (Empty); an unknown id is undefined (NotFound)', () => {
    const q = new SharedQueues();
    const id = q.register('', 'jobs', () => undefined);
    q.enqueue(id, enc('1'));
    q.enqueue(id, enc('2'));
    expect(dec(q.dequeue(id)!)).toBe('1');
    expect(dec(q.dequeue(id)!)).toBe('2');
    expect(q.dequeue(id)).toBeNull();
    expect(q.dequeue(999)).toBeUndefined();
    expect(q.enqueue(999, enc('x'))).toBe(false);
  });

  it('an enqueue notifies the owner after the call returns, once per item', async () => {
    const q = new SharedQueues();
    const ready: number[] = [];
    const id = q.register('', 'jobs', (i) => ready.push(i));
    expect(q.enqueue(id, enc('a'))).toBe(true);
    expect(q.enqueue(id, enc('b'))).toBe(true);
    expect(ready).toEqual([]);
    await tick();
    expect(ready).toEqual([id, id]);
  });

  it('registering the name again keeps the id and the items, and moves the notifications to the new owner', async () => {
    const q = new SharedQueues();
    const first: number[] = [];
    const second: number[] = [];
    const id = q.register('', 'jobs', (i) => first.push(i));
    q.enqueue(id, enc('kept'));
    expect(q.register('', 'jobs', (i) => second.push(i))).toBe(id);
    q.enqueue(id, enc('new'));
    await tick();
    // The first enqueue was notified to its owner of the time; the second goes to the new owner.
    expect(first).toEqual([id]);
    expect(second).toEqual([id]);
    expect(dec(q.dequeue(id)!)).toBe('kept');
  });

  it('after unregister (the owner VM stopped) items are still queued but nobody is notified', async () => {
    const q = new SharedQueues();
    const ready: number[] = [];
    const owner = (i: number) => ready.push(i);
    const id = q.register('', 'jobs', owner);
    const other = q.register('', 'other', () => undefined);
    q.unregister(owner);
    expect(q.enqueue(id, enc('x'))).toBe(true);
    await tick();
    expect(ready).toEqual([]);
    expect(dec(q.dequeue(id)!)).toBe('x');
    expect(q.resolve('', 'other')).toBe(other);
  });
});
