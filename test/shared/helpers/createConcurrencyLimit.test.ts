import { describe, expect, it } from 'vitest';
import { createConcurrencyLimit } from '../../../shared/helpers/createConcurrencyLimit.js';
import { maxConcurrentPerMailbox } from '../../../shared/adapters/mail/createGraphMailSender.js';

describe('createConcurrencyLimit', () => {
  it('runs at most the limit at once (4 sendMail requests per mailbox), the rest in order', async () => {
    const limit = createConcurrencyLimit(maxConcurrentPerMailbox);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const tasks = Array.from({ length: 10 }, (_, i) =>
      limit(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
        order.push(i);
      }),
    );
    while (order.length < 10) {
      await new Promise((r) => setImmediate(r));
      releases.shift()?.();
    }
    await Promise.all(tasks);
    expect(peak).toBe(4);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('lends a slot to hold across steps, freed once however often it is freed', async () => {
    const limit = createConcurrencyLimit(2);
    const first = await limit.acquire();
    const second = await limit.acquire();
    let third = false;
    const waiting = limit.acquire().then((free) => ((third = true), free));
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    first();
    first();
    const free = await waiting;
    expect(third).toBe(true);
    // The double free above gave back one slot, not two: a task still waits for the two held.
    let ran = false;
    const task = limit(async () => void (ran = true));
    await new Promise((r) => setImmediate(r));
    expect(ran).toBe(false);
    second();
    await task;
    expect(ran).toBe(true);
    free();
  });
});
