import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/common/usage-error.ts';
import { cachedSynthesis, synthesisKey } from '../src/stack/synthesis-cache.ts';

const root = new URL('..', import.meta.url).pathname;

describe('synthesis cache', () => {
  it('keys a synthesis by the sources and the context, whatever the order of the context', () => {
    const key = synthesisKey(root, { billingMode: 'on-demand', minReadCapacity: '10' });
    expect(synthesisKey(root, { minReadCapacity: '10', billingMode: 'on-demand' })).toBe(key);
    expect(synthesisKey(root, { billingMode: 'on-demand', minReadCapacity: '11' })).not.toBe(key);
    expect(synthesisKey(root, {})).not.toBe(key);
  });

  it('synthesizes in a child process once, then answers from the cache; --no-cache synthesizes again', async () => {
    const context = { apiLatencyP99AlarmMs: '1234' }; // a context of this test's own, so no other run shares its entry
    const printed: string[] = [];
    const first = await cachedSynthesis(context, { noCache: true, print: (line) => printed.push(line) });
    expect(existsSync(first)).toBe(true);
    const second = await cachedSynthesis(context, { print: (line) => printed.push(line) });
    expect(second).toBe(first);
    expect(printed[0]).toMatch(/^Synthesizing the stack with apiLatencyP99AlarmMs=1234 /);
    expect(printed[1]).toMatch(/^Using the synthesized stack cached for this source and context/);
  });

  it('turns a context the stack refuses into a usage error', async () => {
    await expect(cachedSynthesis({ billingMode: 'sometimes' }, { noCache: true })).rejects.toThrow(UsageError);
  });
});
