import { describe, expect, it } from 'vitest';
import { ServiceList } from '../src/services.js';

describe('ServiceList', () => {
  it('reads a service saved before kinds existed as an http service', () => {
    expect(ServiceList.parse([{ name: 'token-service', via: 'httpbin' }])).toEqual([{ kind: 'http', name: 'token-service', via: 'httpbin', status: 200, headers: [], body: '' }]);
  });

  it('takes redis and llm services with their own fields, and refuses fields of another kind', () => {
    expect(ServiceList.parse([{ kind: 'redis', name: 'redis', password: 'pw' }, { kind: 'llm', name: 'llm', models: ['gpt-4o'], failStatus: 429 }])).toHaveLength(2);
    const wrong = ServiceList.safeParse([{ kind: 'redis', name: 'redis', status: 200 }]);
    expect(wrong.success).toBe(false);
    const status = ServiceList.safeParse([{ kind: 'llm', name: 'llm', failStatus: 418 }]);
    expect(status.success).toBe(false);
  });

  it('names a duplicate service and the path of its name', () => {
    const r = ServiceList.safeParse([{ kind: 'redis', name: 'a' }, { name: 'a' }]);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: [1, 'name'], message: 'two services are named "a"' });
  });
});
