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
});
