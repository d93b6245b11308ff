import { DateTime } from 'luxon';
import { watchPoisonQueues } from '../shared/notifications/watchPoisonQueues.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

/**
 * Reports what the Functions host parked in Vigil's poison queues since the last run (refreshes, scans,
 * rotation steps, notifications), once, on the default route; records each queue's depth (the
 * `vigil.queue.poisoned` gauge the poison alert reads). A
 * queue that cannot be read is an error line, not a failed run: the others are still watched.
 */
export const poisonQueueWatcherTimer: FunctionDefinition = {
  kind: 'timer',
  name: 'poisonQueueWatcherTimer',
  schedule: '%VIGIL_POISON_WATCH_SCHEDULE%',
  async handler(_timer, context, runtime) {
    const watches = await watchPoisonQueues(runtime.notifications.watcher, DateTime.utc());
    for (const watch of watches) {
      if (watch.kind === 'unreadable') {
        context.error(`poison queue ${watch.poisonQueue} could not be read: ${watch.reason}`);
        continue;
      }
      runtime.telemetry.gauge('poisonDepth', watch.depth, { queue: watch.poisonQueue });
      if (watch.newlyParked === 0) continue;
      const where =
        watch.reportedOn.length > 0 ? `reported on ${watch.reportedOn.join(', ')}` : 'reported nowhere (no route, or reported before)';
      context.error(`${watch.newlyParked} message(s) newly parked in ${watch.poisonQueue} (${watch.depth} there now); ${where}`);
    }
  },
};
