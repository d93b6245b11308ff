import type { DateTime } from 'luxon';
import { vigilEventSchema, type VigilEvent } from '../events/vigilEvent.js';
import { eventAsOf } from './eventAsOf.js';
import { decidedOn, type Decided } from './commitDecisions.js';
import type { NotificationItem } from './NotificationItem.js';
import { stateKey, type OpenRouteState, type Stored } from './NotificationState.js';
import type { ReminderNote } from './reminderPolicy.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

/**
 * A reminder of an open finding on one route: its newest event as of `now` (a new event id, so CloudEvents
 * receivers see a new emission; the time, days left and a credential's words of now, not of when it was first
 * seen), and the
 * route's state moved on so the next reminder counts from this one. A route that has no state yet (the
 * rules send the finding there since a snooze held it back) hears of it as new.
 */
export function toReminder(
  findingId: string,
  route: string,
  event: VigilEvent,
  state: Stored<OpenRouteState> | undefined,
  note: ReminderNote,
  now: DateTime,
  newId: () => string,
): Decided {
  const at = toIsoUtc(now);
  const current = vigilEventSchema.parse({ ...eventAsOf(event, now), id: newId(), time: at });
  const item: NotificationItem = {
    findingId,
    reason: state ? 'reminder' : 'new',
    event: current,
    at,
    reminder: note,
    reportedAt: event.time,
  };
  const since = state && state.value.dedupeKey === event.dedupeKey ? state.value.since : at;
  return {
    key: stateKey(findingId, route),
    route,
    findingId,
    items: [item],
    next: {
      status: 'open',
      dedupeKey: event.dedupeKey,
      severity: event.severity,
      notifiedAt: at,
      items: [],
      since,
    },
    ...decidedOn(state),
  };
}
