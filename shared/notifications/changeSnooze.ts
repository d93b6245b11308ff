import { DateTime } from 'luxon';
import { announceSnoozeEnd, scheduleSnoozeEnd, type SnoozeEndDeps } from './announceSnoozeEnd.js';
import type { NotificationState, Snooze } from './NotificationState.js';
import { planSnooze, type SnoozeLimits } from './planSnooze.js';

/** What a snooze and its end need: the notification state, its limits, and the alarms (absent without routes). */
export interface SnoozeDeps {
  state: NotificationState;
  snoozeLimits: SnoozeLimits;
  lifecycle: SnoozeEndDeps | undefined;
}

export interface SnoozeAsk {
  /** An end as given (`until`), or a number of days from now. */
  until: DateTime | { days: number };
  reason: string;
  by: string;
}

export type SnoozeChange =
  | { kind: 'snoozed'; findingId: string; name: string; type: string; snooze: Snooze }
  | { kind: 'refused'; reason: string }
  | { kind: 'unknownFinding' };

/**
 * Snoozes a reported finding within the limits (`planSnooze`) and sets the alarm that re-announces it when
 * the snooze ends. The one way a snooze is made, by the API and by the status page's form alike.
 */
export async function applySnooze(findingId: string, ask: SnoozeAsk, deps: SnoozeDeps, now: DateTime): Promise<SnoozeChange> {
  const finding = await deps.state.getFinding(findingId);
  if (!finding) return { kind: 'unknownFinding' };
  const until = DateTime.isDateTime(ask.until) ? ask.until : now.plus({ days: ask.until.days });
  const plan = planSnooze(finding, { until, reason: ask.reason, by: ask.by }, now, deps.snoozeLimits);
  if (plan.kind === 'rejected') return { kind: 'refused', reason: plan.reason };
  await deps.state.setSnooze(findingId, plan.snooze);
  if (deps.lifecycle) await scheduleSnoozeEnd(findingId, plan.snooze.until, deps.lifecycle.alarms, now);
  return { kind: 'snoozed', findingId, name: finding.name, type: finding.type, snooze: plan.snooze };
}

/** Ends a snooze now, which re-announces the finding at once. Idempotent: an unsnoozed finding stays as it is. */
export async function liftSnooze(findingId: string, deps: SnoozeDeps, now: DateTime): Promise<{ kind: 'lifted' | 'unknownFinding' }> {
  if (!(await deps.state.getFinding(findingId))) return { kind: 'unknownFinding' };
  if (deps.lifecycle) await announceSnoozeEnd(findingId, deps.lifecycle, now, true);
  else await deps.state.setSnooze(findingId, undefined);
  return { kind: 'lifted' };
}
