import type { Severity, VigilEvent } from '../events/vigilEvent.js';
import type { ItemDetail } from './describeIntelligence.js';
import { findingOf } from './findingOf.js';
import { isHygiene } from './isHygiene.js';
import type { NotificationItem } from './NotificationItem.js';

/** Where an item is listed: what needs a person, hygiene to tidy up, what recovered, and records. */
export type ItemGroup = 'action' | 'hygiene' | 'resolved' | 'info';

/** The line an item sent as part of a decision carries, in every renderer (with partNotice for the digest). */
export const heldInPartDetail: ItemDetail = {
  label: 'Part of an update',
  text: 'Vigil could not store this update whole: this may not be the latest state of the finding. Check it on the status page.',
};

/**
 * A recovery sent as part of a decision (NotificationItem.heldInPart) may have been followed by a new problem
 * in the part that is missing: never an all-clear then, but a state to check.
 */
export const isUncertain = (item: { reason: NotificationItem['reason']; heldInPart?: boolean | undefined }): boolean =>
  item.heldInPart === true && item.reason === 'recovered';

/** Where an item is listed; an uncertain recovery needs a person to check it. */
export function groupOf(item: NotificationItem, event: VigilEvent): ItemGroup {
  if (isUncertain(item)) return 'action';
  if (item.reason === 'recovered') return 'resolved';
  if (!['opens', 'notice'].includes(findingOf(event).role)) return 'info';
  return isHygiene(event) ? 'hygiene' : 'action';
}

/** The headline and summary of an uncertain recovery: what Vigil last stored, and that it may not be the latest. */
export function uncertainWords(event: VigilEvent, what: string): { headline: string; summary: string } {
  return {
    headline: `${event.subject.displayName} ${what}: state uncertain, check the status page`,
    summary: `State uncertain: Vigil last stored “${event.summary}”, but may have missed a later report. Check the status page before relying on it.`,
  };
}

const groupLabels = { hygiene: 'TIDY UP', resolved: 'RESOLVED', info: 'INFO' } as const;

/** An item's label in Teams and Slack: its severity when it needs action, CHECK for an uncertain recovery. */
export function labelOf(view: { group: ItemGroup; severity: Severity; reason: NotificationItem['reason']; heldInPart: boolean }): string {
  if (isUncertain(view)) return 'CHECK';
  return view.group === 'action' ? view.severity.toUpperCase() : groupLabels[view.group];
}
