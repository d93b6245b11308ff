import type { QueueClient } from '@azure/storage-queue';
import type { ParkedMessage, PoisonQueues } from '../../notifications/OutboxPorts.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { poisonQueueOf } from './queueNames.js';

/** How long reading hides a parked message at most: each is shown again as soon as the read is done. */
const readVisibilitySeconds = 30;
/** Storage returns at most 32 messages per receive. */
const batch = 32;

/**
 * The poison queues of Vigil's queues (`{queue}-poison`). Peek shows only the first 32 messages, so
 * reading receives in batches (hidden meanwhile, so the next batch is new) and then shows each message
 * again, deleting nothing: a person replaying the queue right after finds it as it was. Texts are
 * decoded from base64 as the trigger would.
 */
export function createPoisonQueues(queueFor: (name: string) => QueueClient): PoisonQueues {
  const poisonOf = (queue: string) => queueFor(poisonQueueOf(queue));
  const depth = async (client: QueueClient): Promise<number> => {
    try {
      return (await client.getProperties()).approximateMessagesCount ?? 0;
    } catch (error) {
      // No poison queue yet: nothing was ever parked.
      if (statusOf(error) === 404) return 0;
      throw error;
    }
  };
  return {
    depth: (queue) => depth(poisonOf(queue)),
    async read(queue, max) {
      const client = poisonOf(queue);
      const count = await depth(client);
      const messages: ParkedMessage[] = [];
      const receipts: Array<{ id: string; popReceipt: string }> = [];
      try {
        while (count > 0 && messages.length < max) {
          const { receivedMessageItems } = await client.receiveMessages({
            numberOfMessages: Math.min(batch, max - messages.length),
            visibilityTimeout: readVisibilitySeconds,
          });
          if (receivedMessageItems.length === 0) break;
          for (const item of receivedMessageItems) {
            receipts.push({ id: item.messageId, popReceipt: item.popReceipt });
            messages.push({ id: item.messageId, insertedOn: item.insertedOn.toISOString(), text: decode(item.messageText) });
          }
        }
      } finally {
        // Shown again a batch at a time; one that cannot be shown is visible again within readVisibilitySeconds anyway.
        for (let i = 0; i < receipts.length; i += batch)
          await Promise.allSettled(receipts.slice(i, i + batch).map((r) => client.updateMessage(r.id, r.popReceipt, undefined, 0)));
      }
      return { depth: count, messages: messages.sort((a, b) => a.insertedOn.localeCompare(b.insertedOn)) };
    },
  };
}

/** The Functions host and Vigil both write base64 (host.json messageEncoding); anything else is kept as it came. */
function decode(text: string): string {
  const decoded = Buffer.from(text, 'base64');
  return decoded.toString('base64') === text.replace(/\s/g, '') ? decoded.toString('utf8') : text;
}
