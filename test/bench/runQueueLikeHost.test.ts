import { afterEach, describe, expect, it } from 'vitest';
import { runQueueLikeHost } from '../../bench/runQueueLikeHost.js';
import { SpooledQueue } from '../../bench/spooledQueue.js';

const message = (i: number) => ({
  vaultUrl: 'https://bench.vault.local',
  name: `m${i}`,
  plannedAt: '2026-12-05T00:00:00.000Z',
  reason: 'due' as const,
});

describe("the refresh bench's driver", () => {
  let queue: SpooledQueue | undefined;
  afterEach(() => queue?.close());

  it("admits refreshes as the host's listener does: 16, then another 16 only once 8 or fewer are left", async () => {
    queue = new SpooledQueue();
    await queue.send(Array.from({ length: 40 }, (_, i) => message(i)));
    const held: Array<() => void> = [];
    const seen: number[] = [];
    let running = 0;
    const drained = runQueueLikeHost(queue, Promise.resolve(), () => {
      running += 1;
      seen.push(running);
      return new Promise<void>((resolve) => held.push(() => ((running -= 1), resolve())));
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    await settle();
    // A pool of 24 workers would have started 24 here.
    expect(running).toBe(16);
    for (const release of held.splice(0, 7)) release();
    await settle();
    expect(running).toBe(9);
    held.shift()!();
    await settle();
    expect(running).toBe(8 + 16);
    for (;;) {
      const release = held.shift();
      if (!release) break;
      release();
      await settle();
    }
    await drained;
    expect(seen).toHaveLength(40);
    expect(Math.max(...seen)).toBe(24);
  });

  it('waits for a producer still planning, and ends once it has ended and the queue is empty', async () => {
    queue = new SpooledQueue();
    let finishPlanning: () => void = () => undefined;
    const planning = new Promise<void>((resolve) => (finishPlanning = resolve));
    const handled: string[] = [];
    const drained = runQueueLikeHost(queue, planning, (m) => {
      handled.push((m as { name: string }).name);
      return Promise.resolve();
    });
    await queue.send([message(1)]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await queue.send([message(2)]);
    finishPlanning();
    await drained;
    expect(handled).toEqual(['m1', 'm2']);
  });
});
