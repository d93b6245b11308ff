import type { QueueClient } from '@azure/storage-queue';
import { z } from 'zod';
import type { ParkedMessage, PoisonQueues } from '../../notifications/OutboxPorts.js';
import { onceSucceededPerKey } from '../../helpers/onceSucceeded.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { poisonQueueOf, reportedQueueOf } from './queueNames.js';

/**
 * How long a read hides what it took: long enough to report a few hundred messages and move them; one
 * that could not be reported (the run failed) shows again after it and is read by the next run.
 */
const readVisibilitySeconds = 10 * 60;
/** Storage returns at most 32 messages per receive. */
const batch = 32;

const handleSchema = z.object({ popReceipt: z.string(), raw: z.string() });

/**
 * The poison queues of Vigil's queues (`{queue}-poison`) and where reported messages go
 * (`{queue}-poison-reported`). Reading receives the oldest messages in batches (hidden meanwhile, so the
 * next batch is new); once reported, each is copied as it came to the reported queue and then deleted
 * from the poison queue. So every run reads only what was never reported, at a cost bounded by the
 * number it reports, however deep the backlog; a failure between the copy and the delete reports one
 * message twice, never none. Texts are decoded from base64 as the trigger would.
 */
export function createPoisonQueues(queueFor: (name: string) => QueueClient): PoisonQueues {
  const poisonOf = (queue: string) => queueFor(poisonQueueOf(queue));
  const reportedOf = (queue: string) => queueFor(reportedQueueOf(queue));
  const created = onceSucceededPerKey((name) => queueFor(name).createIfNotExists());
  const depth = async (client: QueueClient): Promise<number> => {
    try {
      return (await client.getProperties()).approximateMessagesCount ?? 0;
    } catch (error) {
      // No such queue yet: nothing was ever parked (or reported).
      if (statusOf(error) === 404) return 0;
      throw error;
    }
  };
  const total = async (queue: string) => (await depth(poisonOf(queue))) + (await depth(reportedOf(queue)));
  return {
    depth: total,
    async read(queue, max) {
      const client = poisonOf(queue);
      const waiting = await depth(client);
      const messages: ParkedMessage[] = [];
      while (waiting > 0 && messages.length < max) {
        const { receivedMessageItems } = await client.receiveMessages({
          numberOfMessages: Math.min(batch, max - messages.length),
          visibilityTimeout: readVisibilitySeconds,
        });
        if (receivedMessageItems.length === 0) break;
        for (const item of receivedMessageItems)
          messages.push({
            id: item.messageId,
            insertedOn: item.insertedOn.toISOString(),
            text: decode(item.messageText),
            handle: { popReceipt: item.popReceipt, raw: item.messageText },
          });
      }
      const reported = await depth(reportedOf(queue));
      return { depth: waiting + reported, messages: messages.sort((a, b) => a.insertedOn.localeCompare(b.insertedOn)) };
    },
    async markReported(queue, messages) {
      const target = reportedQueueOf(queue);
      await created(target);
      for (let i = 0; i < messages.length; i += batch)
        await Promise.all(
          messages.slice(i, i + batch).map(async (m) => {
            const { popReceipt, raw } = handleSchema.parse(m.handle);
            // Kept as long as Storage keeps any message by default (7 days), like the poison queue.
            await queueFor(target).sendMessage(raw);
            await poisonOf(queue).deleteMessage(m.id, popReceipt);
          }),
        );
    },
  };
}

/** The Functions host and Vigil both write base64 (host.json messageEncoding); anything else is kept as it came. */
function decode(text: string): string {
  const decoded = Buffer.from(text, 'base64');
  return decoded.toString('base64') === text.replace(/\s/g, '') ? decoded.toString('utf8') : text;
}
