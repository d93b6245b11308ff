import { DateTime } from 'luxon';
import { dailyBucket } from '../shared/notifications/digestBuckets.js';
import { flushDigest, type Flushed } from '../shared/notifications/flushDigest.js';
import { logFlush } from './logFlush.js';
import { releaseHeldMessages } from '../shared/notifications/releaseHeldMessages.js';
import { reportRun } from './reportRun.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

/** Without routes (VIGIL_ROUTES unset) nothing is held: only messages older versions held are released. */
const nothingFlushed: Flushed = { kind: 'flushed', items: 0, abandoned: 0, waiting: 0, partial: 0, undated: 0, messages: 0 };

/** Sends the daily digest of routes whose schedule is `daily`: what they held since the last run. */
export const notificationDigestTimer: FunctionDefinition = {
  kind: 'timer',
  name: 'notificationDigestTimer',
  schedule: '%VIGIL_DIGEST_SCHEDULE%',
  async handler(timer, context, runtime) {
    if (timer.isPastDue) context.log('notificationDigestTimer is running late; one run sends everything held.');
    const { outbox, queue, newId, lifecycle } = runtime.notifications;
    const now = DateTime.utc();
    const flushed = lifecycle ? await flushDigest(dailyBucket, lifecycle, now) : nothingFlushed;
    // Messages held in the outbox by versions before digest buckets.
    const released = await releaseHeldMessages(outbox, queue, now, newId);
    if (flushed.kind === 'busy') {
      // A flush that crashed holds the bucket for a few minutes: the flush queue tries again after it.
      await lifecycle!.tickets.flushLater(dailyBucket, 5 * 60_000);
      context.warn('daily digest: another run holds it; the flush queue tries again in 5 minutes');
    } else logFlush(context, 'daily digest', flushed, { released });
    await reportRun(runtime, 'digest', 'completed', (line) => context.warn(line));
  },
};
