import { z } from 'zod';
import { vigilEventSchema } from '../events/vigilEvent.js';
import { reminderNoteSchema } from './reminderPolicy.js';

export const notificationReasons = ['new', 'escalated', 'reminder', 'recovered', 'info'] as const;
/** Why a notification goes out: a new situation, a worse one, a reminder, the all-clear, or a record. */
export type NotificationReason = (typeof notificationReasons)[number];

/** One event as a channel shows it: the event, the finding it belongs to and why it is sent now. */
export const notificationItemSchema = z.object({
  findingId: z.string(),
  reason: z.enum(notificationReasons),
  event: vigilEventSchema,
  /** When it was decided (RFC 3339 UTC); absent on items stored by older versions. */
  at: z.string().optional(),
  /** For a reminder: which clause of the policy sent it (daily, after a lapse, a snooze's end). */
  reminder: reminderNoteSchema.optional(),
  /** For a reminder: when its producer last reported it (the event itself carries the state as of `at`). */
  reportedAt: z.string().optional(),
  /**
   * Sent as part of a decision Vigil could not store whole (a flush sent what was held once the publisher
   * had not finished it within its day): the decision's later items, and so the finding's current state,
   * are missing. Every renderer says so (describePart, partNotice) and never shows such an item as resolved.
   */
  heldInPart: z.literal(true).optional(),
});
export type NotificationItem = z.output<typeof notificationItemSchema>;

/** When an item was decided: its `at`, or for an item stored by an older version, its event's time. */
export function decidedAtOf(item: NotificationItem): string {
  return item.at ?? item.event.time;
}
