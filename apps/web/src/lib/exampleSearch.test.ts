import { describe, expect, it } from 'vitest';
import type { ExampleSummary } from '../api/types';
import { searchExamples } from './exampleSearch';

const list: ExampleSummary[] = [
  { name: 'hello-world', title: 'Hello world', description: 'Adds a header.', uses: ['ParseConfigBy', 'AddHttpRequestHeader', 'SendHttpResponse', 'log.Infof'] },
  { name: 'redis-rate-limit', title: 'Redis rate limit', description: 'Counts requests.', uses: ['SendHttpResponseWithDetail', 'RedisClient.Eval', 'log.Infof'] },
  { name: 'no-uses', title: 'Body rewrite', description: 'Calls ReplaceHttpResponseBody on the answer.' },
];
const names = (q: string) => searchExamples(list, q).map((m) => m.example.name);

describe('searchExamples', () => {
  it('lists every example for an empty query', () => {
    expect(names('  ')).toEqual(['hello-world', 'redis-rate-limit', 'no-uses']);
  });

  it('finds the examples whose Uses line names a method, that very name first', () => {
    expect(names('SendHttpResponseWithDetail')).toEqual(['redis-rate-limit']);
    expect(names('sendhttpresponse')).toEqual(['hello-world', 'redis-rate-limit']);
    expect(searchExamples(list, 'SendHttpResponse')[1].methods).toEqual(['SendHttpResponseWithDetail']);
    expect(names('Eval')).toEqual(['redis-rate-limit']);
    expect(names('Infof')).toEqual(['hello-world', 'redis-rate-limit']);
  });

  it('falls back to the title and description, and needs every word', () => {
    expect(names('ReplaceHttpResponseBody')).toEqual(['no-uses']);
    expect(names('redis Infof')).toEqual(['redis-rate-limit']);
    expect(names('AddHttpRequestHeader, Eval')).toEqual([]);
    expect(names('NoSuchMethod')).toEqual([]);
  });
});
