import { DateTime } from 'luxon';
import { releaseHeldMessages } from '../shared/notifications/releaseHeldMessages.js';
import { reportRun } from './reportRun.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

/** Sends the daily digest of routes whose schedule is `daily`: what they held since the last run. */
export const notificationDigestTimer: FunctionDefinition = {
  kind: 'timer',
  name: 'notificationDigestTimer',
  schedule: '%VIGIL_DIGEST_SCHEDULE%',
  async handler(timer, context, runtime) {
    if (timer.isPastDue) context.log('notificationDigestTimer is running late; one run sends everything held.');
    const { outbox, queue, newId } = runtime.notifications;
    const released = await releaseHeldMessages(outbox, queue, DateTime.utc(), newId);
    context.log(`daily digest: ${released} outbox message(s) released`);
    await reportRun(runtime, 'digest', 'completed', (line) => context.warn(line));
  },
};
