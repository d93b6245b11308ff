import { DateTime } from 'luxon';
import { z } from 'zod';
import { queueNames } from '../shared/adapters/storage/queueNames.js';
import { flushDigest } from '../shared/notifications/flushDigest.js';
import { logFlush } from './logFlush.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

const ticketSchema = z.object({ bucket: z.string().min(1) });

/**
 * Sends a digest bucket when its window has ended (the ticket's visibility delay): one mail and one card
 * per route and channel, one webhook per event. A duplicate ticket finds the bucket sent and does nothing;
 * one that arrives while another flush holds the bucket is dropped: that flush sends what was held before
 * it started, and whoever holds items later queues a ticket of its own (and a crashed flush's own ticket
 * comes back, as the queue redelivers a failed message; a flush that fails, rather than crashes, lets go of
 * the bucket first, so that ticket finds it free).
 */
export const flushDigestQueue: FunctionDefinition = {
  kind: 'storageQueue',
  name: 'flushDigestQueue',
  queueName: queueNames.digest,
  async handler(message, context, runtime) {
    const ticket = ticketSchema.safeParse(message);
    if (!ticket.success) {
      context.error(`flushDigestQueue: not a digest ticket, dropped (${ticket.error.issues.map((i) => i.message).join('; ')})`);
      return;
    }
    const lifecycle = runtime.notifications.lifecycle;
    if (!lifecycle) {
      context.warn(`flushDigestQueue: VIGIL_ROUTES is not set; digest ${ticket.data.bucket} left unsent`);
      return;
    }
    const result = await flushDigest(ticket.data.bucket, lifecycle, DateTime.utc());
    if (result.kind === 'busy') {
      context.log(`digest ${ticket.data.bucket}: another flush is sending it`);
      return;
    }
    logFlush(context, `digest ${ticket.data.bucket}`, result);
  },
};
