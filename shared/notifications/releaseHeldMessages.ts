import type { DateTime } from 'luxon';
import type { OutboxQueue, OutboxStore } from './OutboxPorts.js';
import { mergeHeldMessages } from './planOutboxMessages.js';

/**
 * The daily digest: what routes on the `daily` schedule held since the last run, merged into one
 * message per route and channel, and enqueued. A rerun finds nothing held and does nothing.
 */
export async function releaseHeldMessages(outbox: OutboxStore, queue: OutboxQueue, now: DateTime, newId: () => string): Promise<number> {
  const held = await outbox.listHeld();
  if (held.length === 0) return 0;
  const merged = mergeHeldMessages(held, now, newId);
  await outbox.save(merged);
  await Promise.all(merged.map((m) => queue.enqueue({ id: m.id, attempt: 1 })));
  // Webhook messages keep their id (their webhook-id); only the merged originals are removed.
  const kept = new Set(merged.map((m) => m.id));
  await Promise.all(held.filter((m) => !kept.has(m.id)).map((m) => outbox.remove(m.id)));
  return merged.length;
}
