/**
 * Every Storage queue Vigil uses, named once: the functions' triggers, the senders and the poison-queue
 * watcher all read them from here.
 */
export const queueNames = {
  /** Due token connections, one message each (refresh planner → refreshConnectionQueue). */
  refresh: 'vigil-refresh',
  /** One message per tenant to scan (scan planner → scanTenantQueue). */
  scan: 'vigil-scan-tenants',
  /** Rotation requests and steps (startRotation, rotationTimer → rotationQueue). */
  rotation: 'vigil-rotations',
  /** Outbox tickets (notification pipeline → deliverNotificationQueue). */
  outbox: 'vigil-outbox',
  /** Flush tickets of notification digest buckets, visible when their window ends (→ flushDigestQueue). */
  digest: 'vigil-digest',
  /** Snooze-end alarms, visible when a snooze ends (snooze API → snoozeEndQueue). */
  snoozeEnd: 'vigil-snooze-end',
} as const;

/** What each queue is for, by the key it has in `queueNames`. */
export type QueueRole = keyof typeof queueNames;

export type QueueName = (typeof queueNames)[keyof typeof queueNames];

/**
 * Where the Functions host parks a message after `maxDequeueCount` failed runs (host.json): the queue's
 * name with `-poison` appended (learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#poison-messages).
 * Vigil parks its own undeliverable outbox tickets in the same place, so every parked message meets there.
 */
export const poisonQueueOf = (queue: string): string => `${queue}-poison`;

/** The queues whose `-poison` queue the poison-queue watcher looks at: all of them. */
export const watchedQueues: readonly QueueName[] = Object.values(queueNames);
