import type { VigilEvent } from '../events/vigilEvent.js';

/** Why a notification goes out: a new situation, a worse one, a reminder, the all-clear, or a record. */
export const notificationReasons = ['new', 'escalated', 'reminder', 'recovered', 'info'] as const;
export type NotificationReason = (typeof notificationReasons)[number];

/** One event as a channel shows it: the event, the finding it belongs to and why it is sent now. */
export interface NotificationItem {
  findingId: string;
  reason: NotificationReason;
  event: VigilEvent;
}
