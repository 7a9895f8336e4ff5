import { describe, expect, it } from 'vitest';
import { blankService, hasRedis, llmServiceNames, modelsFromText, readServices, withValidUpstream } from './services';

describe('services', () => {
  it('starts a service of each kind, keeping the name when the kind changes', () => {
    expect(blankService('http')).toEqual({ kind: 'http', name: '', status: 200, headers: [['content-type', 'application/json']], body: '{}' });
    expect(blankService('redis', 'cache')).toEqual({ kind: 'redis', name: 'cache' });
    expect(blankService('llm', 'cache')).toEqual({ kind: 'llm', name: 'cache' });
  });

  it('reads saved services one by one: old ones are HTTP, a malformed one does not take the others with it', () => {
    const old = { name: 'token-service', status: 201, headers: [], body: '' };
    expect(readServices([old, { kind: 'redis', name: '' }, { kind: 'llm', name: 'llm-openai', failStatus: 418 }, { kind: 'redis', name: 'redis' }])).toEqual([
      { kind: 'http', ...old },
      { kind: 'redis', name: 'redis' },
    ]);
    expect(readServices('nope')).toBeNull();
  });

  it('reads models as a comma-separated list; none means the defaults', () => {
    expect(modelsFromText(' gpt-4o, qwen-max ,')).toEqual(['gpt-4o', 'qwen-max']);
    expect(modelsFromText(' , ')).toBeUndefined();
  });

  it('knows the LLM services and whether there is a Redis', () => {
    const list = [blankService('llm', 'llm-openai'), blankService('llm', ''), blankService('redis', 'redis')];
    expect(llmServiceNames(list)).toEqual(['llm-openai']);
    expect(hasRedis(list)).toBe(true);
    expect(hasRedis([blankService('http', 'a')])).toBe(false);
  });

  it('drops a route upstream that names no declared LLM service', () => {
    const gateway = { profile: 'higress' as const, workers: 1, upstream: 'llm-openai' };
    expect(withValidUpstream(gateway, [blankService('llm', 'llm-openai')])).toBe(gateway);
    expect(withValidUpstream(gateway, [blankService('redis', 'llm-openai')])).toEqual({ profile: 'higress', workers: 1 });
    expect(withValidUpstream(gateway, [])).toEqual({ profile: 'higress', workers: 1 });
  });
});
