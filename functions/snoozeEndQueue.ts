import { DateTime } from 'luxon';
import { z } from 'zod';
import { queueNames } from '../shared/adapters/storage/queueNames.js';
import { announceSnoozeEnd } from '../shared/notifications/announceSnoozeEnd.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { findingIdSchema } from '../shared/notifications/findingOf.js';

const alarmSchema = z.object({ findingId: findingIdSchema, until: z.string() });

/**
 * A snooze's end: the finding is re-announced at once where it is open, with what the snooze held back.
 * An alarm for a snooze changed or lifted since finds nothing to do; a snooze longer than a queue message
 * can wait sets its alarm again.
 */
export const snoozeEndQueue: FunctionDefinition = {
  kind: 'storageQueue',
  name: 'snoozeEndQueue',
  queueName: queueNames.snoozeEnd,
  async handler(message, context, runtime) {
    const alarm = alarmSchema.safeParse(message);
    if (!alarm.success) {
      context.error(`snoozeEndQueue: not a snooze alarm, dropped (${alarm.error.issues.map((i) => i.message).join('; ')})`);
      return;
    }
    const lifecycle = runtime.notifications.lifecycle;
    if (!lifecycle) return;
    const result = await announceSnoozeEnd(alarm.data.findingId, lifecycle, DateTime.utc());
    context.log(`snooze of ${alarm.data.findingId}: ${result.kind}${result.kind === 'announced' ? ` on ${result.routes} route(s)` : ''}`);
  },
};
