import type { DateTime } from 'luxon';
import { newEvent } from '../events/newEvent.js';
import type { VigilEvent } from '../events/vigilEvent.js';
import type { QueueRole } from '../adapters/storage/queueNames.js';

export type { QueueRole };

/** What each Vigil queue carries, in a person's words, and what it means when its messages are parked. */

const consequences: Record<QueueRole, { what: string; impact: string }> = {
  refresh: {
    what: 'token refreshes',
    impact: 'These token connections were not refreshed or probed: a refresh token left unused lapses, and a revoked one goes unnoticed.',
  },
  scan: { what: 'tenant scans', impact: 'These tenants were not scanned: credentials expiring there are not being found.' },
  rotation: {
    what: 'rotation steps',
    impact: 'These rotations did not advance: a new secret may not be in Key Vault, or an old one not retired.',
  },
  outbox: { what: 'notifications', impact: 'These notifications could not be read, so nobody can tell what they said.' },
  digest: {
    what: 'notification digests',
    impact: 'These digests were not sent: the notices they gathered have not reached their routes.',
  },
  snoozeEnd: {
    what: 'snooze ends',
    impact: 'These findings were not re-announced when their snooze ended; the daily reminder walk re-announces them.',
  },
};

export interface ParkedReport {
  role: QueueRole;
  /** The poison queue's name. */
  queue: string;
  parked: number;
  depth: number;
  subjects: readonly string[];
  /** The newest parked message's time: one report per batch of newly parked messages. */
  newest: string;
}

/** The `queue.poisoned` event for messages the Functions host gave up on (after host.json's maxDequeueCount tries). */
export function toQueuePoisonedEvent(report: ParkedReport, tenantId: string, now: DateTime): VigilEvent {
  const { what, impact } = consequences[report.role];
  const about = report.subjects.length > 0 ? ` (${report.subjects.join(', ')}${report.parked > report.subjects.length ? ', …' : ''})` : '';
  return newEvent(
    {
      type: 'queue.poisoned',
      tenantId,
      subject: { kind: 'queue', id: report.queue, displayName: report.queue },
      severity: 'high',
      summary: `${report.parked} message(s) for ${what}${about} were parked in ${report.queue}: they failed every try; ${report.depth} wait there and in ${report.queue}-reported now.`,
      impact,
      fix: `Find the cause in the function's failures (Application Insights, or the log of the function that reads ${report.queue.replace(/-poison$/, '')}). Once it is fixed, move the messages back from ${report.queue}-reported (where Vigil keeps what it reported) to ${report.queue.replace(/-poison$/, '')}: replaying them is safe.`,
      dedupeKey: `queue.poisoned|${report.queue}|${report.newest}`,
      data: { queue: report.queue, parked: report.parked, depth: report.depth, subjects: [...report.subjects] },
    },
    now,
  );
}
