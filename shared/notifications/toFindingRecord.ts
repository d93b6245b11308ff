import type { VigilEvent } from '../events/vigilEvent.js';
import { findingOf } from './findingOf.js';
import type { FindingRecord } from './NotificationState.js';

/** The record of a finding as of its newest opening event: what reminders repeat and the snooze API checks. */
export function toFindingRecord(event: VigilEvent): Omit<FindingRecord, 'snooze'> {
  const finding = findingOf(event);
  return {
    findingId: finding.id,
    key: finding.key,
    type: event.type,
    severity: event.severity,
    tenantId: event.tenantId,
    name: event.subject.displayName,
    ...('endDateTime' in event.data ? { endDateTime: event.data.endDateTime } : {}),
    lastSeen: event.time,
    event,
  };
}
