import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_IN_FLIGHT, queueHostOptions } from '../../../local/devhost/runQueueFunctions.js';

describe("the dev host's queue listener", () => {
  it("takes the queues as host.json tells the Functions host to: the bench's floors assume the same concurrency", () => {
    const host = JSON.parse(readFileSync(new URL('../../../host.json', import.meta.url), 'utf8')) as {
      extensions: { queues: { batchSize: number; maxDequeueCount: number; newBatchThreshold?: number } };
    };
    const { batchSize, maxDequeueCount, newBatchThreshold } = host.extensions.queues;
    expect(queueHostOptions).toEqual({ batchSize, maxDequeueCount });
    // Unset, the threshold is half a batch on Consumption and Flex Consumption plans.
    expect(MAX_IN_FLIGHT).toBe(batchSize + (newBatchThreshold ?? batchSize / 2));
  });
});
