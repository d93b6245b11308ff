import { DateTime } from 'luxon';
import { remindOpenFindings } from '../shared/notifications/remindOpenFindings.js';
import { sweepDigests } from '../shared/notifications/sweepDigests.js';
import { sweepOutbox } from '../shared/notifications/sweepOutbox.js';
import type { FunctionDefinition } from './FunctionDefinition.js';
import { logFlush } from './logFlush.js';
import { describeError } from '../shared/helpers/describeError.js';

/**
 * Walks the open findings and sends the reminders the policy says are due (docs/notifications.md,
 * "Reminders"), into the current digest window: one "still open" digest per route. Then flushes any
 * digest bucket still held past its window (a lost ticket, a part left for a retry; one that fails is logged, the
 * others flushed, and the run then fails), and removes delivered messages the outbox kept (fallback stand-ins)
 * once nothing can need them. A rerun the same day sends nothing new.
 */
export const reminderTimer: FunctionDefinition = {
  kind: 'timer',
  name: 'reminderTimer',
  schedule: '%VIGIL_REMINDER_SCHEDULE%',
  async handler(timer, context, runtime) {
    const lifecycle = runtime.notifications.lifecycle;
    if (!lifecycle) {
      context.log('reminderTimer: VIGIL_ROUTES is not set; nothing to remind anyone of');
      return;
    }
    if (timer.isPastDue) context.log('reminderTimer is running late; one run sends what is due now.');
    const now = DateTime.utc();
    const run = await remindOpenFindings(lifecycle, now);
    const clauses = Object.entries(run.byClause).map(([clause, n]) => `${n} ${clause}`);
    context.log(`reminders: ${run.reminded} sent of ${run.open} open finding route(s)${clauses.length ? ` (${clauses.join(', ')})` : ''}`);
    if (run.withoutEvent > 0)
      context.warn(`reminders: ${run.withoutEvent} open finding route(s) have no stored event yet; they are reminded once reported again`);
    const failed: string[] = [];
    for (const { bucket, result } of await sweepDigests(lifecycle, now)) {
      const label = `digest ${bucket}, still held past its window (a lost flush ticket, or a part left for its publisher's retry)`;
      if (result.kind === 'busy') context.log(`${label}: another flush is sending it`);
      else if (result.kind === 'failed') {
        failed.push(bucket);
        context.error(`${label}: could not be flushed (${describeError(result.error)}); the next run tries again`);
      } else logFlush(context, label, result, { late: true });
    }
    const removed = await sweepOutbox(lifecycle.outbox, now);
    if (removed > 0) context.log(`outbox: ${removed} delivered message(s) kept as records (fallback stand-ins) removed`);
    // Recorded as a failed run too, once the other buckets and the outbox had their turn.
    if (failed.length > 0) throw new Error(`reminderTimer: ${failed.length} digest bucket(s) could not be flushed: ${failed.join(', ')}`);
  },
};
