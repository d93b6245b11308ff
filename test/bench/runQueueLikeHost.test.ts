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

  it("takes the file queue's messages a batch at a time through the host's listener loop (listenLikeHost, tested with its rule)", async () => {
    queue = new SpooledQueue();
    await queue.send(Array.from({ length: 40 }, (_, i) => message(i)));
    const held: Array<() => void> = [];
    const names: string[] = [];
    const drained = runQueueLikeHost(queue, Promise.resolve(), (m) => {
      names.push((m as { name: string }).name);
      return new Promise<void>((resolve) => held.push(resolve));
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    // One batch of 16, decoded in queue order; a pool of 24 workers would have started 24 here.
    expect(names).toEqual(Array.from({ length: 16 }, (_, i) => `m${i}`));
    while (names.length < 40 || held.length > 0) {
      held.splice(0).forEach((release) => release());
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await drained;
    expect(new Set(names).size).toBe(40);
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
