import type { QueueClient } from '@azure/storage-queue';
import { describe, expect, it } from 'vitest';
import { recordListener } from '../../bench/recordListener.js';
import type { FunctionDefinition } from '../../functions/FunctionDefinition.js';
import { drainQueuesLikeHost } from '../../local/devhost/runQueueFunctions.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A queue as the dev host's listener uses it, holding `bodies` as JSON messages (base64, as the Functions
 * host sends them): a receive hides what it hands out and counts the dequeue, a delete takes 5 ms, and an
 * update (a failed attempt) makes the message visible again at once; the first delete of an id in
 * `staleOnce` rejects, as one by a stale pop receipt does. `removed`: the ids deleted, in order.
 */
function fakeQueue(bodies: readonly unknown[], staleOnce = new Set<string>()): { client: QueueClient; removed: string[] } {
  const messages = bodies.map((body, i) => ({
    messageId: `m${i}`,
    messageText: Buffer.from(JSON.stringify(body)).toString('base64'),
    insertedOn: new Date(0),
    dequeueCount: 0,
    visible: true,
  }));
  const receipts = new Map<string, (typeof messages)[number]>();
  const removed: string[] = [];
  const client = {
    name: 'scans',
    createIfNotExists: () => Promise.resolve({}),
    receiveMessages: ({ numberOfMessages = 1 }: { numberOfMessages?: number } = {}) => {
      const taken = messages.filter((m) => m.visible).slice(0, numberOfMessages);
      const receivedMessageItems = taken.map(({ visible: _, ...m }) => {
        const message = messages.find((q) => q.messageId === m.messageId)!;
        message.visible = false;
        message.dequeueCount += 1;
        const popReceipt = `receipt-${receipts.size}`;
        receipts.set(popReceipt, message);
        return { ...m, dequeueCount: message.dequeueCount, popReceipt };
      });
      return Promise.resolve({ receivedMessageItems });
    },
    deleteMessage: async (messageId: string, popReceipt: string) => {
      await sleep(5);
      if (staleOnce.delete(messageId) || receipts.get(popReceipt)?.messageId !== messageId)
        throw new Error(`no message ${messageId} with ${popReceipt}`);
      messages.splice(messages.indexOf(receipts.get(popReceipt)!), 1);
      removed.push(messageId);
      return {};
    },
    updateMessage: async (messageId: string, popReceipt: string) => {
      await sleep(3);
      receipts.get(popReceipt)!.visible = true;
      return { popReceipt: `${popReceipt}-updated` };
    },
  } as unknown as QueueClient;
  return { client, removed };
}

describe("the many-tenants bench's recording of its queue listener", () => {
  it('records each delivery through the dev host, a failed attempt apart from its retry, with its delete', async () => {
    const recorder = recordListener();
    const { client, removed } = fakeQueue([{ tenantId: 'a' }, { tenantId: 'b' }]);
    const seen: unknown[] = [];
    const failed = new Set<unknown>();
    const definition = recorder.definition({
      kind: 'storageQueue',
      name: 'scanTenantQueue',
      queueName: 'scans',
      // a takes 20 ms; b fails after 40 ms the first time, then takes 5 ms.
      handler: async (message) => {
        seen.push(message);
        const { tenantId } = message as { tenantId: string };
        if (tenantId === 'b' && !failed.has(tenantId)) {
          failed.add(tenantId);
          await sleep(40);
          throw new Error('b failed');
        }
        await sleep(tenantId === 'a' ? 20 : 5);
      },
    });
    const started = performance.now();
    const handled = await drainQueuesLikeHost(
      [definition],
      {} as Runtime,
      () => recorder.queue(client),
      () => undefined,
    );
    const split = recorder.split(started, performance.now() - started);
    expect(handled).toBe(3);
    expect(seen).toEqual([{ tenantId: 'a' }, { tenantId: 'b' }, { tenantId: 'b' }]);
    expect(removed).toEqual(['m0', 'm1']);
    // One record per delivery: b's failed 40 ms counts beside its retry's 5 ms, a mean of about (20 + 40 + 5) ÷ 3
    // (a margin of 5 ms in all: a timer can end up to a millisecond early by performance.now()).
    expect(split).toMatchObject({ messages: 3 });
    expect(split.meanHandlerMs).toBeGreaterThanOrEqual(60 / 3);
    // Each delete waits 5 ms after its handler ends and the failed attempt's update back to the queue 3 ms: a mean of
    // about 13 ÷ 3 (a margin of 2 ms), which a recorder that missed the update would not reach.
    expect(split.meanDeleteMs).toBeGreaterThanOrEqual(11 / 3);
    expect(split.listenerMs).toBeGreaterThanOrEqual(0);
  });

  it('counts a delete that rejected rather than leave its delivery looking deleted as its handler ended', async () => {
    const recorder = recordListener();
    // m0's first delete rejects: the dev host puts it back in the queue (the update settles) and handles it again.
    const { client, removed } = fakeQueue([{ tenantId: 'a' }], new Set(['m0']));
    const definition = recorder.definition({
      kind: 'storageQueue',
      name: 'scanTenantQueue',
      queueName: 'scans',
      handler: async () => {
        await sleep(1);
      },
    });
    const started = performance.now();
    await drainQueuesLikeHost(
      [definition],
      {} as Runtime,
      () => recorder.queue(client),
      () => undefined,
    );
    expect(removed).toEqual(['m0']);
    expect(recorder.split(started, performance.now() - started)).toMatchObject({ messages: 2, rejectedDeletes: 1 });
  });

  it('refuses a definition that is not a queue function', () => {
    const timer = { kind: 'timer', name: 't', schedule: '', handler: () => Promise.resolve() } satisfies FunctionDefinition;
    expect(() => recordListener().definition(timer)).toThrow(/not a queue function/);
  });
});
