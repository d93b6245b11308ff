import { DateTime } from 'luxon';
import { queueNames } from '../shared/adapters/storage/queueNames.js';
import { outboxTicketSchema } from '../shared/notifications/OutboxMessage.js';
import { parkUnreadable } from '../shared/notifications/parkUnreadable.js';
import { processOutboxTicket } from '../shared/notifications/processOutboxTicket.js';
import { deliveryCountsOf, type TicketResult } from '../shared/notifications/TicketResult.js';
import { reportRun } from './reportRun.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

/**
 * Delivers one outbox message (mail digest, Teams card or webhook) per queue message. Waiting between
 * attempts is a visibility delay on a new queue message, not a sleep; a duplicate ticket finds its message
 * claimed, delivered or gone and sends nothing. A ticket that is not one is reported and parked, not
 * dropped. Only storage failing before anything was sent throws, so the host retries.
 */
export const deliverNotificationQueue: FunctionDefinition = {
  kind: 'storageQueue',
  name: 'deliverNotificationQueue',
  queueName: queueNames.outbox,
  async handler(message, context, runtime) {
    const delivery = runtime.notifications.delivery;
    if (!delivery) {
      context.warn(`deliverNotificationQueue: VIGIL_ROUTES is not set; outbox message left undelivered`);
      return;
    }
    const now = DateTime.utc();
    const ticket = outboxTicketSchema.safeParse(message);
    const result = ticket.success
      ? await processOutboxTicket(ticket.data, delivery, now)
      : await parkUnreadable(
          { reason: `not an outbox ticket (${ticket.error.issues.map((i) => i.message).join('; ')})`, reportedBefore: false },
          message,
          delivery,
          now,
        );
    const line = `outbox ${ticket.success ? `${ticket.data.id} attempt ${ticket.data.attempt}` : 'ticket'}: ${describe(result)}`;
    if (result.kind === 'poisoned') context.error(line);
    else if (result.kind === 'retrying' || result.kind === 'dropped') context.warn(line);
    else context.log(line);
    for (const warning of result.warnings) context.warn(`outbox: ${warning}`);
    for (const counted of deliveryCountsOf(result)) runtime.telemetry.count('deliveries', counted);
    await reportRun(runtime, 'delivery', 'completed', (warning) => context.warn(warning));
  },
};

function describe(result: TicketResult): string {
  if (result.kind === 'alreadyHandled') return `already handled (${result.detail})`;
  if (result.kind === 'waiting')
    return `waiting ${Math.ceil(result.retryInMs / 1000)} s on ${result.label}, route ${result.route} (${result.detail})`;
  const fallback = result.fellBackTo.length > 0 ? `; reported on ${result.fellBackTo.join(', ')}` : '';
  return `${result.kind} on ${result.label}, route ${result.route}${result.detail ? ` (${result.detail})` : ''}${fallback}`;
}
