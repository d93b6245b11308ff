import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  listenLikeHost,
  MAX_IN_FLIGHT,
  queueHostOptions,
  simulateQueueListener,
  takesNewBatch,
} from '../../../local/devhost/queueListener.js';

describe("the host's queue listener, modelled once", () => {
  it("takes the queues as host.json tells the Functions host to: the dev host and the bench's floors assume the same concurrency", () => {
    const host = JSON.parse(readFileSync(new URL('../../../host.json', import.meta.url), 'utf8')) as {
      extensions: { queues: { batchSize: number; maxDequeueCount: number; newBatchThreshold?: number } };
    };
    const { batchSize, maxDequeueCount, newBatchThreshold } = host.extensions.queues;
    // Unset, the threshold is half a batch on Consumption and Flex Consumption plans.
    expect(queueHostOptions).toEqual({ batchSize, maxDequeueCount, newBatchThreshold: newBatchThreshold ?? batchSize / 2 });
    expect(MAX_IN_FLIGHT).toBe(batchSize + queueHostOptions.newBatchThreshold);
    expect([takesNewBatch(queueHostOptions.newBatchThreshold), takesNewBatch(queueHostOptions.newBatchThreshold + 1)]).toEqual([
      true,
      false,
    ]);
  });

  it('runs scans of equal length a batch at a time: 1,000 of 630 ms take 63 batches, not 1,000 ÷ 24 rounds', () => {
    const run = simulateQueueListener(Array.from({ length: 1_000 }, () => 630));
    // The old hand-derived floor with MAX_IN_FLIGHT would say ⌈1000 ÷ 24⌉ × 630 = 26,460 ms: no listener
    // following the rule can do that, since a batch is asked for only once 8 of the last one have ended.
    expect(run).toMatchObject({ ms: 63 * 630, batches: 63, mostInFlight: 24 });
    expect(run.how).toContain('63 batches, at most 24 at once');
  });

  it('asks for a batch when a slow batch leaves 8 or fewer running, so 24 run at once while the slow half ends', () => {
    // First batch: 8 take 100 ms, 8 take 1,000 ms. At 100 ms 8 are left, so a second batch of 16 (100 ms each) starts.
    const durations = [
      ...Array.from({ length: 8 }, () => 100),
      ...Array.from({ length: 8 }, () => 1_000),
      ...Array.from({ length: 16 }, () => 100),
    ];
    expect(simulateQueueListener(durations)).toMatchObject({ ms: 1_000, batches: 2, mostInFlight: 24 });
  });

  it('counts no time for an empty queue and ends a short queue with its one batch', () => {
    expect(simulateQueueListener([])).toMatchObject({ ms: 0, batches: 0, mostInFlight: 0 });
    expect(simulateQueueListener([50, 70, 60])).toMatchObject({ ms: 70, batches: 1, mostInFlight: 3 });
  });

  it('is never faster than messages that each take d allow: batches at least d apart', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 20; trial++) {
      const durations = Array.from({ length: 200 }, () => 500 + Math.floor(random() * 1_500));
      expect(simulateQueueListener(durations).ms).toBeGreaterThanOrEqual(Math.ceil(200 / 16) * 500);
    }
  });

  it('listens as the dev host does: a new batch once 8 or fewer are left, what its handlers queue too, until the queue reads empty', async () => {
    const queued = Array.from({ length: 30 }, (_, i) => i);
    const receives: number[] = [];
    const held: Array<() => void> = [];
    let running = 0;
    let most = 0;
    const listening = listenLikeHost(
      {
        receive: (max) => (receives.push(queued.length), Promise.resolve(queued.splice(0, max))),
        producing: () => false,
        whenMore: () => Promise.reject(new Error('nothing is produced: never waited for')),
      },
      async (message) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => held.push(resolve));
        // A handler that queues a follow-up, as a scan plan queues its tenants' scans.
        if (message === 0) queued.push(100);
        running -= 1;
      },
    );
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    await settle();
    expect(running).toBe(16);
    for (const release of held.splice(0, 7)) release();
    await settle();
    // 9 in flight: no batch yet.
    expect(running).toBe(9);
    held.shift()!();
    await settle();
    // 8 left: the other 14 and the follow-up.
    expect(running).toBe(8 + 15);
    for (;;) {
      const release = held.shift();
      if (!release) break;
      release();
      await settle();
    }
    expect(await listening).toBe(31);
    expect(most).toBe(23);
    expect(queued).toEqual([]);
    // The last receive found the queue empty: that, with nothing in flight, ended the listening.
    expect(receives.at(-1)).toBe(0);
  });
});
