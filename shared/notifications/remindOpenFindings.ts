import type { DateTime } from 'luxon';
import { createConcurrencyLimit } from '../helpers/createConcurrencyLimit.js';
import { commitDecisions, type CommitDeps, type Decided } from './commitDecisions.js';
import { isHygiene } from './isHygiene.js';
import type { OpenRouteState, Stored } from './NotificationState.js';
import { reminderDue, type ReminderNote, type ReminderPolicy } from './reminderPolicy.js';
import { toReminder } from './toReminder.js';

export interface ReminderDeps extends CommitDeps {
  policy: ReminderPolicy;
}

export interface ReminderRun {
  /** Open (finding, route) pairs walked. */
  open: number;
  reminded: number;
  byClause: Partial<Record<ReminderNote['kind'], number>>;
  /** Open pairs whose finding has no stored event (recorded by an older version): reminded once reported again. */
  withoutEvent: number;
  /** Reminders not sent because a producer wrote the same state at the same moment (it notified the route itself). */
  lost: number;
}

const findingsPerCommit = 200;
const parallelReads = 16;

/**
 * The reminder walk: every finding the notification state holds as open on some route, judged by the
 * reminder policy at `now`. What is due goes into the current digest window like any notice, so each
 * route gets one "still open" digest (and each webhook one `reminder` CloudEvent per finding). A rerun
 * the same day finds nothing due: each reminder moves its route's state on.
 */
export async function remindOpenFindings(deps: ReminderDeps, now: DateTime): Promise<ReminderRun> {
  const open = await deps.state.listOpen();
  const byFinding = new Map<string, Array<{ route: string; state: Stored<OpenRouteState> }>>();
  for (const o of open) byFinding.set(o.findingId, [...(byFinding.get(o.findingId) ?? []), o]);
  const run: ReminderRun = { open: open.length, reminded: 0, byClause: {}, withoutEvent: 0, lost: 0 };
  const ids = [...byFinding.keys()];
  const limit = createConcurrencyLimit(parallelReads);
  for (let i = 0; i < ids.length; i += findingsPerCommit) {
    const slice = ids.slice(i, i + findingsPerCommit);
    const records = await Promise.all(slice.map((id) => limit(() => deps.state.getFinding(id))));
    const decided: Decided[] = [];
    const endedSnoozes = new Map<string, string>();
    slice.forEach((id, j) => {
      const record = records[j];
      const routes = byFinding.get(id)!;
      if (!record?.event) {
        run.withoutEvent += routes.length;
        return;
      }
      const subject = { ...(record.endDateTime ? { endDateTime: record.endDateTime } : {}), hygiene: isHygiene(record.event) };
      for (const { route, state } of routes) {
        if (!deps.config.routes[route]) continue;
        const note = reminderDue(state.value, subject, record.snooze, now, deps.policy);
        if (!note) continue;
        decided.push(toReminder(id, route, record.event, state, note, now, deps.newId));
        run.byClause[note.kind] = (run.byClause[note.kind] ?? 0) + 1;
      }
      if (record.snooze && Date.parse(record.snooze.until) <= now.toMillis()) endedSnoozes.set(id, record.snooze.until);
    });
    const { committed, lost } = await commitDecisions(decided, deps);
    run.reminded += committed.length;
    run.lost += lost.length;
    // A snooze is lifted once its end was announced on every route (a route that lost the race heard anyway).
    for (const [id, until] of endedSnoozes) await deps.state.clearSnooze(id, until);
  }
  return run;
}
