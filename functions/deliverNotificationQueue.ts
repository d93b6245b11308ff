import { DateTime } from 'luxon';
import { z } from 'zod';
import { outboxQueueName } from '../shared/adapters/storage/outboxQueue.js';
import { processOutboxTicket } from '../shared/notifications/processOutboxTicket.js';
import { reportRun } from './reportRun.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

const ticketSchema = z.object({ id: z.string().min(1), attempt: z.number().int().min(1) });

/**
 * Delivers one outbox message (mail digest, Teams card or webhook) per queue message. Waiting between
 * attempts is a visibility delay on a new queue message, not a sleep; a duplicate ticket finds its message
 * gone and does nothing.
 */
export const deliverNotificationQueue: FunctionDefinition = {
  kind: 'storageQueue',
  name: 'deliverNotificationQueue',
  queueName: outboxQueueName,
  async handler(message, context, runtime) {
    const ticket = ticketSchema.safeParse(message);
    if (!ticket.success) {
      context.error(`deliverNotificationQueue: not an outbox ticket, dropped (${ticket.error.issues.map((i) => i.message).join('; ')})`);
      return;
    }
    const delivery = runtime.notifications.delivery;
    if (!delivery) {
      context.warn(`deliverNotificationQueue: VIGIL_ROUTES is not set; outbox message ${ticket.data.id} left undelivered`);
      return;
    }
    const result = await processOutboxTicket(ticket.data, delivery, DateTime.utc());
    runtime.telemetry.count('deliveries', { outcome: result.kind });
    await reportRun(runtime, 'delivery', 'completed', (line) => context.warn(line));
    const line = `outbox ${ticket.data.id} attempt ${ticket.data.attempt}: ${result.kind}${'detail' in result && result.detail ? ` (${result.detail})` : ''}`;
    if (result.kind === 'poisoned') context.error(line);
    else if (result.kind === 'retrying' || result.kind === 'dropped') context.warn(line);
    else context.log(line);
  },
};
