import { describe, expect, it } from 'vitest';
import { onceSucceeded, onceSucceededPerKey } from '../../../shared/helpers/onceSucceeded.js';

describe('onceSucceeded', () => {
  it('runs the action once it succeeded, sharing one attempt between callers at the same time', async () => {
    let calls = 0;
    const ready = onceSucceeded(async () => ++calls);
    expect(await Promise.all([ready(), ready()])).toEqual([1, 1]);
    expect(await ready()).toBe(1);
    expect(calls).toBe(1);
  });

  it('forgets a failed attempt, so the next call tries again', async () => {
    let calls = 0;
    const ready = onceSucceeded(async () => {
      calls += 1;
      if (calls === 1) throw new Error('storage is down');
      return calls;
    });
    await expect(ready()).rejects.toThrow('storage is down');
    expect(await ready()).toBe(2);
    expect(await ready()).toBe(2);
  });

  it('keeps one memory per key', async () => {
    const created: string[] = [];
    const ready = onceSucceededPerKey(async (name) => void created.push(name));
    await Promise.all([ready('a'), ready('b'), ready('a')]);
    expect(created).toEqual(['a', 'b']);
  });
});
