import { DateTime } from 'luxon';
import { dailyBucket } from '../shared/notifications/digestBuckets.js';
import { flushDigest, unsentNote } from '../shared/notifications/flushDigest.js';
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
    const { outbox, queue, newId, lifecycle } = runtime.notifications;
    const now = DateTime.utc();
    const flushed = lifecycle ? await flushDigest(dailyBucket, lifecycle, now) : undefined;
    // Messages held in the outbox by versions before digest buckets.
    const released = await releaseHeldMessages(outbox, queue, now, newId);
    if (flushed?.kind === 'busy') {
      // A flush that crashed holds the bucket for a few minutes: the flush queue tries again after it.
      await lifecycle!.tickets.flushLater(dailyBucket, 5 * 60_000);
      context.warn('daily digest: another run holds it; the flush queue tries again in 5 minutes');
    } else
      context.log(
        `daily digest: ${flushed?.items ?? 0} item(s) in ${(flushed?.messages ?? 0) + released} outbox message(s)${flushed ? unsentNote(flushed) : ''}`,
      );
    await reportRun(runtime, 'digest', 'completed', (line) => context.warn(line));
  },
};
